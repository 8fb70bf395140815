"""Importing indicator values in Kolada's long shape (kpi, kommun, år, kön, värde) into a county."""

from decimal import Decimal

from django.test import TestCase

from indicators.models import Indicator, IndicatorValue
from plans.imports import services
from plans.imports.base import CHANGED, ERROR, NEW, SKIPPED, UNCHANGED
from plans.models import County, ImportRecord, Municipality, Role, SubRegion
from plans.national import load_national_data
from tests.factories import member


def kolada_csv(rows: list[str], header: str = "kpi;kommun;år;kön;värde") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp1252")


class IndicatorValueImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_national_data()
        cls.county = County.objects.get(letter_code="BD")
        cls.editor = member(cls.county, Role.EDITOR, "samordnare-bd")
        cls.suicide = Indicator.objects.create(
            code="N00927", kolada_id="N00927", name="Självmord", unit="per_100k"
        )
        cls.own = Indicator.objects.create(code="BD-N2-a", name="Utbildade AOSP-instruktörer")
        cls.lulea = Municipality.objects.get(code="2580")
        cls.sub_region = SubRegion.objects.create(county=cls.county, name="Östra Norrbotten")
        IndicatorValue.objects.create(
            indicator=cls.suicide, municipality=cls.lulea, year=2021, gender="T", value=Decimal("17.2")
        )

    def preview(self, data: bytes, name: str = "kolada.csv"):
        importer = services.county_importer(county=self.county)
        return services.preview_import(importer=importer, data=data, file_name=name)

    def commit(self, data: bytes, name: str = "kolada.csv"):
        importer = services.county_importer(county=self.county)
        return services.commit_import(
            importer=importer, data=data, file_name=name, user=self.editor, county=self.county
        )

    def test_it_reads_codes_names_the_county_and_sub_regions_with_decimal_commas(self):
        data = kolada_csv(
            [
                "N00927;2580;2021;T;17,2",  # unchanged
                "N00927;Luleå;2021;K;9,5",
                "n00927;Luleå kommun;2021;M;24,75",
                "N00927;0025;2021;T;1 234,5",  # the county as a whole, as Kolada codes it
                "N00927;Norrbottens län;2020;T;18",
                "BD-N2-a;Östra Norrbotten;2022;T;12",
                "BD-N2-a;2580;2022;totalt;",  # no value: skipped
            ]
        )
        result = self.preview(data)
        self.assertEqual([row.status for row in result.rows], [UNCHANGED, NEW, NEW, NEW, NEW, NEW, SKIPPED])
        self.commit(data)
        values = {
            (value.indicator.code, str(value.area), value.year, value.gender): value.value
            for value in IndicatorValue.objects.select_related(
                "indicator", "county", "municipality", "sub_region"
            )
        }
        self.assertEqual(values[("N00927", "Luleå", 2021, "M")], Decimal("24.75"))
        self.assertEqual(values[("N00927", "Norrbottens län", 2021, "T")], Decimal("1234.5"))
        self.assertEqual(values[("BD-N2-a", "Östra Norrbotten", 2022, "T")], Decimal("12"))
        self.assertEqual(len(values), 6)

    def test_it_shows_a_changed_value_with_old_and_new(self):
        (row,) = self.preview(kolada_csv(["N00927;2580;2021;T;17,3"])).rows
        self.assertEqual(row.status, CHANGED)
        self.assertEqual([(c.column, c.old, c.new) for c in row.changes], [("värde", "17,2", "17,3")])

    def test_it_writes_history_on_the_bulk_path(self):
        data = kolada_csv(
            [f"N00927;2580;{year};{gender};{year % 7}" for year in range(2010, 2020) for gender in "TKM"]
        )
        data += b"N00927;2580;2021;T;18\r\n"
        committed = self.commit(data, "kolada-2010-2021.csv")
        self.assertEqual((committed.record.rows_new, committed.record.rows_changed), (30, 1))
        history = IndicatorValue.history.filter(history_change_reason="Import: kolada-2010-2021.csv")
        self.assertEqual(history.filter(history_type="+").count(), 30)
        self.assertEqual(history.filter(history_type="~").count(), 1)
        self.assertEqual(set(history.values_list("history_user", flat=True)), {self.editor.pk})
        again = self.commit(data, "kolada-2010-2021.csv")
        self.assertEqual(again.preview.totals[UNCHANGED], 31)
        self.assertEqual(IndicatorValue.history.count(), 32)

    def test_it_refuses_rows_of_another_county_unknown_places_and_non_numbers(self):
        data = kolada_csv(
            [
                "N00927;2480;2021;T;12",  # Umeå, Västerbotten
                "N00927;Atlantis;2021;T;12",
                "N00927;2580;tjugo;T;12",
                "N00927;2580;2021;X;12",
                "N00927;2580;2022;T;många",
                "N99999;2580;2021;T;1",
                "N00927;2580;2021;K;12",
                "N00927;2580;2021;K;13",
                "N00927;2580;1850;T;13",
            ]
        )
        result = self.preview(data)
        errors = [
            (row.number, error.column, error.message)
            for row in result.rows_with(ERROR)
            for error in row.errors
        ]
        self.assertEqual(
            [(number, column) for number, column, _message in errors],
            [
                (2, "kommun"),
                (3, "kommun"),
                (4, "år"),
                (5, "kön"),
                (6, "värde"),
                (7, "kpi"),
                (9, ""),
                (10, "år"),
            ],
        )
        self.assertEqual(errors[0][2], "Umeå hör till Västerbottens län, inte till Norrbottens län.")
        self.assertIn("Okänd kommun ”Atlantis”", errors[1][2])
        self.assertEqual(errors[4][2], "”många” är inget tal.")
        self.assertIn("rad 8", errors[6][2])
        with self.assertRaises(services.ImportRefused):
            self.commit(data)
        self.assertEqual(IndicatorValue.objects.count(), 1)
        self.assertEqual(ImportRecord.objects.get().outcome, "failed")

    def test_it_accepts_english_headers_in_any_order_and_kolada_ids(self):
        header = "Value;Gender;Year;Municipality;KPI"
        (row,) = self.preview(kolada_csv(["9,5;K;2021;2580;N00927"], header=header)).rows
        self.assertEqual(row.status, NEW)

    def test_it_round_trips_the_county_export(self):
        self.commit(kolada_csv(["N00927;0025;2021;T;17,25", "BD-N2-a;Östra Norrbotten;2022;K;-3"]))
        for fmt in ("xlsx", "csv"):
            with self.subTest(fmt=fmt):
                export = services.export_county_values(county=self.county, fmt=fmt)
                result = self.preview(export.content, export.file_name)
                self.assertEqual(result.totals[UNCHANGED], 3)
                self.assertEqual(len(result.rows), 3)
                self.assertEqual(result.notes, ["Rubrikraden är rad 1 i filen."])

    def test_it_exports_only_the_values_of_the_county(self):
        IndicatorValue.objects.create(
            indicator=self.suicide, municipality=Municipality.objects.get(code="2480"), year=2021, value=12
        )
        text = services.export_county_values(county=self.county, fmt="csv").content.decode("utf-8-sig")
        self.assertEqual(text.splitlines()[0], "kpi;kommun;år;kön;värde;indikatorns namn;områdets namn")
        self.assertEqual(text.splitlines()[1:], ["N00927;2580;2021;T;17,2;Självmord;Luleå"])

"""Importing the Norrbotten activity matrix.

Every activity with the right columns, the preview, all or nothing, idempotence, and round trip.
"""

from datetime import date, datetime
from decimal import Decimal
from unittest import mock

from django.db import IntegrityError
from django.test import TestCase

from activities.models import Activity
from plans.demo import DEMO_DIR, load_demo_file
from plans.imports import services
from plans.imports.base import CHANGED, ERROR, NEW, UNCHANGED
from plans.models import County, Goal, ImportRecord, Plan, PriorityArea, Role
from plans.national import load_national_data
from tests.factories import member
from tests.imports import files

MATRIX_FIELDS = [
    "title",
    "current_state",
    "expected_result",
    "indicators_text",
    "timeline",
    "responsible",
    "cost_text",
]


def run_import(plan, data: bytes, file_name: str, user, kind: str = "activities") -> services.Committed:
    importer = services.plan_importer(kind=kind, plan=plan)
    return services.commit_import(importer=importer, data=data, file_name=file_name, user=user, plan=plan)


def preview(plan, data: bytes, file_name: str, kind: str = "activities"):
    importer = services.plan_importer(kind=kind, plan=plan)
    return services.preview_import(importer=importer, data=data, file_name=file_name)


class NewPlanFromTheNorrbottenMatrixTests(TestCase):
    """An empty plan filled from the spreadsheets: the goals file, then the matrix."""

    @classmethod
    def setUpTestData(cls):
        load_national_data()
        cls.county = County.objects.get(letter_code="BD")
        cls.editor = member(cls.county, Role.EDITOR, "samordnare-bd")
        cls.plan = Plan.objects.create(
            county=cls.county, title="Handlingsplan 2022", start_year=2021, end_year=2025
        )
        goals = files.xlsx_file(files.GOAL_HEADERS, files.goal_rows(), title="Mål 2021–2025")
        run_import(cls.plan, goals, "mal.xlsx", cls.editor, kind="goals")
        cls.matrix = files.xlsx_file(files.MATRIX_HEADERS, files.matrix_rows())
        cls.result = run_import(cls.plan, cls.matrix, "aktivitetsplan-2022.xlsx", cls.editor)

    def test_it_imports_every_activity_of_the_matrix_with_the_right_columns(self):
        expected = files.norrbotten_plan()["activities"]
        activities = list(self.plan.activities.select_related("priority_area").prefetch_related("goals"))
        self.assertEqual(len(activities), 26)
        for source, activity in zip(expected, activities, strict=True):
            for field in MATRIX_FIELDS:
                self.assertEqual(getattr(activity, field), source[field], (source["title"], field))
            self.assertEqual(activity.priority_area.name, source["priority_area"])
            self.assertEqual(sorted(goal.code for goal in activity.goals.all()), sorted(source["goals"]))
            self.assertEqual(activity.status, source["status"])
            self.assertEqual(activity.budget, None if source["budget"] is None else Decimal(source["budget"]))
            start = source["start_date"] and date.fromisoformat(source["start_date"])
            self.assertEqual(activity.start_date, start or None)

    def test_it_creates_the_priority_areas_and_goals_named_in_the_files(self):
        self.assertEqual(
            list(PriorityArea.objects.filter(plan=self.plan).values_list("name", flat=True)),
            [area["name"] for area in files.norrbotten_plan()["priority_areas"]],
        )
        self.assertEqual(sorted(self.plan.goals.values_list("code", flat=True)), ["N1", "N2", "N3", "N4"])
        self.assertEqual(Goal.objects.get(plan=self.plan, code="N2").focus_area.number, 1)

    def test_it_records_the_import(self):
        record = self.result.record
        self.assertEqual(
            (record.kind, record.outcome, record.file_name, record.user, record.plan, record.county),
            ("activities", "committed", "aktivitetsplan-2022.xlsx", self.editor, self.plan, self.county),
        )
        self.assertEqual(
            (record.rows_new, record.rows_changed, record.rows_unchanged, record.rows_error), (26, 0, 0, 0)
        )
        self.assertEqual(len(record.file_sha256), 64)

    def test_it_writes_history_with_the_file_name_and_the_user(self):
        for activity in self.plan.activities.all():
            created = activity.history.get()  # one version, goals included
            self.assertEqual(created.history_change_reason, "Import: aktivitetsplan-2022.xlsx")
            self.assertEqual(created.history_user, self.editor)
            self.assertEqual(
                sorted(goal.goal.code for goal in created.goals.all()),
                sorted(g.code for g in activity.goals.all()),
            )
        for goal in self.plan.goals.all():
            self.assertEqual(goal.history.get().history_change_reason, "Import: mal.xlsx")
        for area in self.plan.priority_areas.all():
            self.assertTrue(area.history.filter(history_change_reason__startswith="Import: ").exists())

    def test_it_changes_nothing_when_the_same_file_is_imported_again(self):
        history_before = Activity.history.count()
        again = run_import(self.plan, self.matrix, "aktivitetsplan-2022.xlsx", self.editor)
        self.assertEqual(again.preview.totals[UNCHANGED], 26)
        self.assertFalse(again.preview.changes_anything)
        self.assertEqual(Activity.history.count(), history_before)
        self.assertEqual(self.plan.activities.count(), 26)

    def test_it_reads_the_same_matrix_from_a_swedish_excel_csv_as_unchanged(self):
        data = files.swedish_csv(files.MATRIX_HEADERS, files.matrix_rows())
        self.assertIn(b"\r\n", data)
        self.assertIn("Länssamordnare".encode("cp1252"), data)
        self.assertIn(b"500 000 kr", data)
        result = preview(self.plan, data, "aktivitetsplan.csv")
        self.assertEqual(result.error, "")
        self.assertEqual(result.totals, {NEW: 0, CHANGED: 0, UNCHANGED: 26, "skipped": 0, ERROR: 0})


class NorrbottenDemoPlanTests(TestCase):
    """The demo plan: preview of an edited matrix, all or nothing, and export → import."""

    @classmethod
    def setUpTestData(cls):
        load_national_data()
        load_demo_file(DEMO_DIR / "BD.json")
        cls.plan = Plan.objects.get(county__letter_code="BD")
        cls.editor = member(cls.plan.county, Role.EDITOR, "samordnare-bd")

    def edited_matrix(self) -> list[list]:
        rows = files.matrix_rows()
        rows[2][2] = "Handlingsplanen beslutad i maj 2021.\nWebinarium genomfört."  # Nuläge
        rows[2][9] = "Genomförd"  # Status, in another case
        rows[5][10] = Decimal("1234.5")  # Budget
        rows.append(
            [
                "Stärkt brukarmedverkan",
                "Brukarrevision",
                "",
                "",
                "",
                "2023",
                "NSPH",
                "",
                "N3",
                "",
                None,
                None,
                None,
            ]
        )
        return rows

    def test_it_previews_new_changed_and_unchanged_rows_with_old_and_new_values(self):
        data = files.swedish_csv(files.MATRIX_HEADERS, self.edited_matrix())
        result = preview(self.plan, data, "plan.csv")
        self.assertEqual(result.totals, {NEW: 1, CHANGED: 2, UNCHANGED: 24, "skipped": 0, ERROR: 0})
        changed = {row.number: row for row in result.rows_with(CHANGED)}
        # Title row 1, header row 2: the third activity is on row 5.
        self.assertEqual(
            [(change.column, change.old, change.new) for change in changed[5].changes],
            [
                (
                    "Nuläge",
                    "Handlingsplanen beslutad i maj 2021\nWebinarium planeras 2022",
                    self.edited_matrix()[2][2],
                ),
                ("Status", "planerad", "genomförd"),
            ],
        )
        self.assertEqual(
            [(c.column, c.old, c.new) for c in changed[8].changes], [("Budget", "", "1\u00a0234,5")]
        )
        (new,) = result.rows_with(NEW)
        self.assertEqual((new.number, new.label), (29, "Brukarrevision"))
        self.assertEqual(self.plan.activities.count(), 26, "a preview writes nothing")

    def test_it_lists_every_error_with_its_row_and_column(self):
        rows = self.edited_matrix()
        rows[4][8] = "N1, N9"
        rows[7][10] = "ca 50 tkr"
        rows[10][11] = "1 mars 2022"
        rows[11][9] = "klar snart"
        rows[12][1] = ""
        result = preview(self.plan, files.xlsx_file(files.MATRIX_HEADERS, rows), "plan.xlsx")
        errors = [(row.number, error.column) for row in result.rows_with(ERROR) for error in row.errors]
        # Title row 1, empty row 2, header row 3: activity n is on row n + 3.
        self.assertEqual(
            errors, [(8, "Målkod"), (11, "Budget"), (14, "Start"), (15, "Status"), (16, "Aktivitet")]
        )
        messages = " ".join(error.message for row in result.rows_with(ERROR) for error in row.errors)
        self.assertIn("Okänd målkod: N9. Planens målkoder är: N1, N2, N3, N4.", messages)
        self.assertIn("”ca 50 tkr” är inget belopp.", messages)
        self.assertIn("Skriv datum som 2022-03-01", messages)
        self.assertFalse(result.can_commit)

    def test_it_imports_nothing_when_one_row_of_many_is_bad(self):
        rows = self.edited_matrix()
        rows[20][8] = "N7"
        history_before = Activity.history.count()
        with self.assertRaises(services.ImportRefused):
            run_import(self.plan, files.xlsx_file(files.MATRIX_HEADERS, rows), "plan.xlsx", self.editor)
        self.assertEqual(self.plan.activities.count(), 26)
        self.assertFalse(self.plan.activities.filter(title="Brukarrevision").exists())
        self.assertEqual(Activity.history.count(), history_before)
        record = ImportRecord.objects.get()
        self.assertEqual((record.outcome, record.rows_new, record.rows_error), ("failed", 0, 1))

    def test_it_rolls_back_every_row_when_the_database_refuses_one(self):
        rows = self.edited_matrix()
        data = files.xlsx_file(files.MATRIX_HEADERS, rows)
        original_save = Activity.save
        saved = []

        def save_then_fail(activity, *args, **kwargs):
            if len(saved) == 2:
                raise IntegrityError("refused")
            saved.append(activity.title)
            return original_save(activity, *args, **kwargs)

        with mock.patch.object(Activity, "save", save_then_fail), self.assertRaises(services.ImportRefused):
            run_import(self.plan, data, "plan.xlsx", self.editor)
        self.assertEqual(len(saved), 2, "two rows were written before the third failed")
        self.assertEqual(self.plan.activities.count(), 26)
        self.assertFalse(self.plan.activities.filter(title="Brukarrevision").exists())
        self.assertEqual(
            self.plan.activities.get(title__startswith="Implementering av länsgemensam").status, "planned"
        )
        self.assertFalse(Activity.history.filter(history_change_reason="Import: plan.xlsx").exists())
        self.assertEqual(ImportRecord.objects.get().outcome, "failed")

    def test_it_commits_an_edited_matrix_and_then_finds_it_unchanged(self):
        data = files.xlsx_file(files.MATRIX_HEADERS, self.edited_matrix())
        committed = run_import(self.plan, data, "plan.xlsx", self.editor)
        self.assertEqual((committed.record.rows_new, committed.record.rows_changed), (1, 2))
        activity = self.plan.activities.get(title__startswith="Implementering av länsgemensam")
        self.assertEqual(
            (activity.status, activity.history.first().history_change_reason), ("done", "Import: plan.xlsx")
        )
        new = self.plan.activities.get(title="Brukarrevision")
        self.assertEqual(
            (new.priority_area.name, [goal.code for goal in new.goals.all()]),
            ("Stärkt brukarmedverkan", ["N3"]),
        )
        self.assertEqual(preview(self.plan, data, "plan.xlsx").totals[UNCHANGED], 27)

    def test_it_matches_rows_on_the_id_column_when_titles_change(self):
        export = services.export_plan(plan=self.plan, kind="aktiviteter", fmt="csv")
        text = export.content.decode("utf-8-sig")
        first = self.plan.activities.order_by("position").first()
        text = text.replace(first.title.split("\n")[0], "Ny titel på första aktiviteten", 1)
        result = preview(self.plan, text.encode("utf-8"), "export.csv")
        (changed,) = result.rows_with(CHANGED)
        self.assertEqual(changed.changes[0].column, "Aktivitet")
        self.assertEqual(result.totals[NEW], 0)

    def test_it_refuses_an_id_of_another_plan(self):
        other = Plan.objects.create(
            county=self.plan.county, title="Annan plan", start_year=2023, end_year=2024
        )
        stranger = Activity.objects.create(plan=other, title="Annan aktivitet")
        data = f"Aktivitet;Id\r\nAnnan aktivitet;{stranger.pk}\r\n".encode()
        (row,) = preview(self.plan, data, "fil.csv").rows
        self.assertEqual((row.status, row.errors[0].column), (ERROR, "Id"))

    def test_it_reads_section_heading_rows_as_the_priority_area_of_the_rows_below(self):
        text = (
            "Aktivitet;Nuläge;Målkod\r\n"
            "Insatsområde – stärkt brukarmedverkan;;\r\n"
            "Ny aktivitet om brukarråd;Saknas;N3\r\n"
        )
        result = preview(self.plan, text.encode(), "fil.csv")
        (row,) = result.rows
        self.assertEqual(row.status, NEW)
        importer = services.plan_importer(kind="activities", plan=self.plan)
        services.commit_import(
            importer=importer, data=text.encode(), file_name="fil.csv", user=self.editor, plan=self.plan
        )
        self.assertEqual(
            self.plan.activities.get(title="Ny aktivitet om brukarråd").priority_area.name,
            "Stärkt brukarmedverkan",
        )

    def test_it_changes_nothing_when_an_exported_plan_is_imported_back(self):
        first = self.plan.activities.get(position=0)
        first.title = '=HYPERLINK("http://example.com")'
        first.indicators_text = "-Antal\n+ fler"
        first.save()
        for kind, fmt in (("aktiviteter", "xlsx"), ("aktiviteter", "csv"), ("mal", "xlsx"), ("mal", "csv")):
            with self.subTest(kind=kind, fmt=fmt):
                export = services.export_plan(plan=self.plan, kind=kind, fmt=fmt)
                history_before = Activity.history.count() + Goal.history.count()
                import_kind = "activities" if kind == "aktiviteter" else "goals"
                committed = run_import(
                    self.plan, export.content, export.file_name, self.editor, kind=import_kind
                )
                totals = committed.preview.totals
                self.assertEqual((totals[NEW], totals[CHANGED], totals[ERROR]), (0, 0, 0))
                self.assertEqual(totals[UNCHANGED], 26 if kind == "aktiviteter" else 4)
                self.assertEqual(Activity.history.count() + Goal.history.count(), history_before)

    def test_it_reads_numbers_and_dates_that_excel_made_of_text_columns_as_text(self):
        row = [
            "Stärkt brukarmedverkan",
            2023,
            "",
            "",
            "",
            datetime(2022, 3, 1),
            "",
            450000,
            "N3",
            "",
            None,
            None,
            None,
        ]
        data = files.xlsx_file(files.MATRIX_HEADERS, [row])
        run_import(self.plan, data, "plan.xlsx", self.editor)
        activity = self.plan.activities.get(title="2023")
        self.assertEqual((activity.timeline, activity.cost_text), ("2022-03-01", "450000"))

    def test_it_flags_the_same_activity_twice_in_one_file(self):
        text = "Aktivitet\r\nNy aktivitet\r\nny  aktivitet\r\n"
        rows = preview(self.plan, text.encode(), "fil.csv").rows
        self.assertEqual([row.status for row in rows], [NEW, ERROR])
        self.assertIn("rad 2", rows[1].errors[0].message)

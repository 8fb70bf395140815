"""The demo's indicators: every judgement occurs, made-up values say so, and the report's fallbacks show."""

from collections import Counter

from django.db.models import Q
from django.test import TestCase

from activities.models import Activity
from indicators.models import Indicator, IndicatorBaseline, IndicatorValue
from indicators.progress import Judgement, county_progress
from plans.demo import demo_files, load_demo_file
from plans.models import County, Plan
from plans.national import load_national_data
from plans.reports.data import build_report

EXAMPLE = "Exempelvärden (påhittade, demo)"


class DemoIndicatorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_national_data()
        for path in demo_files():
            load_demo_file(path)

    def judgements(self, letter_code: str) -> Counter:
        county = County.objects.get(letter_code=letter_code)
        indicators = Indicator.objects.for_county(county.pk).filter(goals__plan__county=county).distinct()
        return Counter(progress.judgement for progress in county_progress(county.pk, indicators).values())

    def test_it_shows_every_judgement_in_norrbotten_and_vastra_gotaland(self):
        for letter_code in ("BD", "O"):
            with self.subTest(letter_code):
                assert set(self.judgements(letter_code)) == set(Judgement), self.judgements(letter_code)

    def test_it_labels_made_up_values_where_every_reader_sees_them(self):
        for county in County.objects.filter(letter_code__in=["BD", "O"]):
            # An indicator with a value whose year the source text does not give is an example.
            indicators = Indicator.objects.filter(values__county=county, values__year__gte=2022).distinct()
            assert indicators.count() > 5
            for indicator in indicators:
                assert indicator.source.startswith(EXAMPLE), indicator.code
                assert "påhittade exempel" in indicator.description, indicator.code

    def test_it_gives_each_indicator_with_values_a_baseline(self):
        for county in County.objects.filter(letter_code__in=["BD", "O"]):
            areas = Q(values__county=county) | Q(values__municipality__county=county)
            with_values = set(Indicator.objects.filter(areas).values_list("pk", flat=True))
            with_baseline = set(
                IndicatorBaseline.objects.filter(county=county).values_list("indicator_id", flat=True)
            )
            assert with_values and with_values <= with_baseline

    def test_it_has_a_national_indicator_with_a_kolada_id_used_by_both_counties(self):
        national = Indicator.objects.national().exclude(kolada_id="").get()
        assert set(national.goals.values_list("plan__county__letter_code", flat=True)) == {"BD", "O"}
        assert national.source.startswith(EXAMPLE)

    def test_it_links_output_indicators_to_activities_and_municipalities_to_organisations(self):
        assert Indicator.objects.filter(county__letter_code="BD", activities__isnull=False).count() >= 4
        assert Indicator.objects.filter(county__letter_code="O", activities__isnull=False).count() >= 3
        led_by_municipality = Activity.objects.filter(
            plan__county__letter_code="BD", lead_organisations__municipality__isnull=False
        ).distinct()
        assert led_by_municipality.count() >= 3
        assert Activity.objects.filter(plan__county__letter_code="O", sub_regions__isnull=False).exists()

    def test_it_shows_the_municipalities_and_sub_regions_values_in_the_reports(self):
        for letter_code, kind in (("BD", "municipality"), ("O", "sub_region")):
            plan = Plan.objects.select_related("county").get(county__letter_code=letter_code)
            report = build_report(plan, 2022)
            blocks = [b for section in report.focus_areas for goal in section.goals for b in goal.indicators]
            fallbacks = [block for block in blocks if block.areas]
            assert fallbacks and {block.areas.kind for block in fallbacks} == {kind}, letter_code
            assert all(not block.has_county_values for block in fallbacks)
            assert sum(1 for block in blocks if block.has_county_values) >= 5
        # Norrbotten's municipality values are its own municipalities'.
        assert not IndicatorValue.objects.filter(
            indicator__county__letter_code="BD", municipality__isnull=False
        ).exclude(municipality__county__letter_code="BD")

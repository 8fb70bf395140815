import pytest

from plans.models import County, FocusArea, Municipality
from plans.national import load_national_data

pytestmark = pytest.mark.django_db


def test_it_loads_21_counties_290_municipalities_and_5_focus_areas():
    counts = load_national_data()

    assert (counts.counties, counts.municipalities, counts.focus_areas) == (21, 290, 5)
    assert County.objects.count() == 21
    assert Municipality.objects.count() == 290
    assert list(FocusArea.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert County.objects.get(letter_code="AC").name == "Västerbottens län"
    assert Municipality.objects.get(code="2480").name == "Umeå"
    # The counts the source documents give.
    assert Municipality.objects.filter(county__letter_code="AC").count() == 15
    assert Municipality.objects.filter(county__letter_code="O").count() == 49
    assert Municipality.objects.filter(county__letter_code="BD").count() == 14
    assert Municipality.objects.filter(county__letter_code="X").count() == 10


def test_it_can_run_again_without_duplicating_anything():
    load_national_data()
    load_national_data()
    assert County.objects.count() == 21
    assert Municipality.objects.count() == 290


def test_it_lists_counties_in_swedish_order():
    load_national_data()
    names = list(County.objects.values_list("name", flat=True))
    # Å, Ä and Ö come after Z, as Swedish readers expect.
    assert names[-3:] == ["Västra Götalands län", "Örebro län", "Östergötlands län"]
    assert names.index("Uppsala län") < names.index("Värmlands län")

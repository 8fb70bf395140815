import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import County, Role
from plans.national import load_national_data
from tests.factories import CountyFactory, PlanFactory, PlanTree, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_counties():
    norrbotten = CountyFactory(name="Norrbottens län")
    gavleborg = CountyFactory(name="Gävleborgs län")
    PlanFactory(county=norrbotten, title="Plan för Norrbotten")
    PlanFactory(county=gavleborg, title="Plan för Gävleborg")
    return norrbotten, gavleborg


def test_it_sends_anonymous_visitors_to_the_login_page(client, two_counties):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR, Role.APPROVER])
def test_it_lists_only_the_plans_of_the_users_counties(client, two_counties, role):
    norrbotten, _ = two_counties
    client.force_login(member(norrbotten, role))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Plan för Norrbotten" in response.content.decode()
    assert "Plan för Gävleborg" not in response.content.decode()
    assert "Gävleborgs län" not in response.content.decode()


def test_it_lists_every_county_for_an_admin(client, two_counties):
    client.force_login(UserFactory(is_staff=True))
    content = client.get(reverse("home")).content.decode()
    assert "Plan för Norrbotten" in content
    assert "Plan för Gävleborg" in content
    # Swedish order: G before N.
    assert content.index("Gävleborgs län") < content.index("Norrbottens län")


def test_it_tells_a_user_without_counties_how_to_get_access(client, two_counties):
    client.force_login(UserFactory())
    content = client.get(reverse("home")).content.decode()
    assert "inte medlem" in content
    assert "Plan för" not in content


def test_it_shows_the_login_page_in_swedish(client):
    content = client.get(reverse("login")).content.decode()
    assert "Logga in" in content
    assert 'lang="sv"' in content


def test_it_lists_all_21_counties_for_staff_with_a_way_into_those_without_plans(client):
    load_national_data()
    PlanFactory(county=County.objects.get(letter_code="BD"), title="Plan för Norrbotten")
    client.force_login(UserFactory(is_staff=True))
    content = client.get(reverse("home")).content.decode()
    for county in County.objects.all():
        assert county.name in content
        assert reverse("county_detail", args=[county.letter_code]) in content
    assert content.count("Inga planer ännu.") == 20
    assert "Gå till Gävleborgs län" in content


def test_it_lists_a_members_county_even_before_it_has_plans(client):
    county = CountyFactory(name="Jämtlands län")
    client.force_login(member(county, Role.READER))
    content = client.get(reverse("home")).content.decode()
    assert "Jämtlands län" in content
    assert "Inga planer ännu." in content


def test_it_counts_goals_and_activities_in_a_constant_number_of_queries(client):
    county = CountyFactory()
    client.force_login(member(county, Role.READER))
    PlanTree.build(county=county, goals=1, activities=1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for _ in range(3):
        PlanTree.build(county=county, goals=4, activities=9)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("home"))
    assert len(many) == len(few)
    content = response.content.decode()
    assert '<td class="num">4</td>' in content
    assert '<td class="num">9</td>' in content

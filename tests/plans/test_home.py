import pytest
from django.urls import reverse

from plans.models import Role
from tests.factories import CountyFactory, PlanFactory, UserFactory, member

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

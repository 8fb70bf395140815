"""The people of the persona matrix: who may do what in which county.

``World.build()`` makes two counties, each with a plan tree, and a user for every
role: an editor (länssamordnare) of county A, an editor of county B, a reader and
an approver of county A, and an admin. Tests then assert what each one sees.
"""

from dataclasses import dataclass

from plans.models import County, Role
from tests.factories import CountyFactory, PlanTree, UserFactory, member

# What a GET answers for each persona on a page of county A (anonymous: login redirect).
READ = {"editor": 200, "other_editor": 404, "reader": 200, "approver": 200, "anonymous": 302}
# ... and on an editing page of county A.
EDIT = {"editor": 200, "other_editor": 404, "reader": 404, "approver": 404, "anonymous": 302}
PERSONAS = list(READ)


@dataclass
class World:
    county: County
    other_county: County
    tree: PlanTree
    other_tree: PlanTree
    users: dict

    @classmethod
    def build(cls, *, activities: int = 3) -> "World":
        county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
        other = CountyFactory(name="Gävleborgs län", letter_code="X", code="21")
        users = {
            "editor": member(county, Role.EDITOR, username="samordnare"),
            "other_editor": member(other, Role.EDITOR, username="samordnare-x"),
            "reader": member(county, Role.READER, username="lasare"),
            "approver": member(county, Role.APPROVER, username="styrgrupp"),
            "admin": UserFactory(username="admin", is_staff=True),
        }
        return cls(
            county=county,
            other_county=other,
            tree=PlanTree.build(county=county, activities=activities),
            other_tree=PlanTree.build(county=other, activities=1),
            users=users,
        )

    def login(self, client, persona: str):
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


def assert_status(response, expected: int) -> None:
    assert response.status_code == expected, (response.status_code, expected)
    if expected == 302:
        assert "/konto/login/" in response["Location"]


def queries_for(client, url: str) -> int:
    """How many SQL queries a GET of ``url`` makes (it must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)

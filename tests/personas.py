"""The people of the persona matrix: who may do what in which county.

``World.build()`` makes two counties, each with a plan tree, and a user for every
role: an editor (länssamordnare) of county A, an editor of county B, a reader and
an approver of county A, a contributor (bidragsgivare) of county A whose
organisation leads the LAST activity of county A's tree (never the first, when
there are several: pages of the first activity are edit pages they may not
open), and an admin. Tests then assert what each one sees.
"""

from dataclasses import dataclass

from plans.models import County, Organisation, Role
from tests.factories import CountyFactory, OrganisationFactory, PlanTree, UserFactory, member

# What a GET answers for each persona on a page of county A (anonymous: login redirect).
READ = {
    "editor": 200,
    "other_editor": 404,
    "reader": 200,
    "approver": 200,
    "contributor": 200,
    "anonymous": 302,
}
# ... and on an editing page of county A.
EDIT = {
    "editor": 200,
    "other_editor": 404,
    "reader": 404,
    "approver": 404,
    "contributor": 404,
    "anonymous": 302,
}
# ... and on a follow-up or status page of the activity the contributor's organisation leads.
CONTRIBUTE = {**EDIT, "contributor": 200}
PERSONAS = list(READ)


@dataclass
class World:
    county: County
    other_county: County
    tree: PlanTree
    other_tree: PlanTree
    users: dict
    organisation: Organisation  # the contributor's

    @classmethod
    def build(cls, *, activities: int = 3) -> "World":
        county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
        other = CountyFactory(name="Gävleborgs län", letter_code="X", code="21")
        users = {
            "editor": member(county, Role.EDITOR, username="samordnare"),
            "other_editor": member(other, Role.EDITOR, username="samordnare-x"),
            "reader": member(county, Role.READER, username="lasare"),
            "approver": member(county, Role.APPROVER, username="styrgrupp"),
            "contributor": member(county, Role.CONTRIBUTOR, username="kontakt-kommun"),
            "admin": UserFactory(username="admin", is_staff=True),
        }
        tree = PlanTree.build(county=county, activities=activities)
        organisation = OrganisationFactory(name="Kommunen", kind=Organisation.Kind.MUNICIPALITY)
        users["contributor"].memberships.get().organisations.add(organisation)
        if len(tree.activities) > 1:
            tree.activities[-1].lead_organisations.add(organisation)
        return cls(
            county=county,
            other_county=other,
            tree=tree,
            other_tree=PlanTree.build(county=other, activities=1),
            users=users,
            organisation=organisation,
        )

    @property
    def contributed(self):
        """The activity the contributor's organisation leads."""
        return self.tree.activities[-1]

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

"""Shared helpers of the report tests: the people of the persona matrix and reading PDFs back."""

import re
from dataclasses import dataclass
from io import BytesIO

import pytest
from pypdf import PdfReader

from plans.models import County, Plan, Role
from tests.factories import CountyFactory, PlanTree, UserFactory, member

# A line break inside a table cell, a hyphen WeasyPrint added to break a word, or a soft hyphen
# would keep a title from matching the text read back; compare without them.
_NOISE = re.compile(r"[\s\u00ad\u2010\u2011-]+")


def squeeze(text: str) -> str:
    return _NOISE.sub("", text)


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, as pypdf reads it back."""
    return [page.extract_text() or "" for page in PdfReader(BytesIO(content)).pages]


@dataclass
class World:
    """Two counties with a plan each, and a user for every role of the persona matrix."""

    county: County
    other_county: County
    plan: Plan
    tree: PlanTree
    other_tree: PlanTree
    users: dict

    def login(self, client, persona: str):
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


@pytest.fixture
def world(db) -> World:
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    other = CountyFactory(name="Gävleborgs län", letter_code="X", code="21")
    users = {
        "editor": member(county, Role.EDITOR, username="samordnare"),
        "other_editor": member(other, Role.EDITOR, username="samordnare-x"),
        "reader": member(county, Role.READER, username="lasare"),
        "approver": member(county, Role.APPROVER, username="styrgrupp"),
        "other_approver": member(other, Role.APPROVER, username="styrgrupp-x"),
        "staff": UserFactory(username="admin", is_staff=True),
    }
    tree = PlanTree.build(county=county, goals=2, activities=3)
    tree.plan.title = "Länsgemensam handlingsplan för psykisk hälsa 2021–2025"
    tree.plan.save()
    return World(
        county=county,
        other_county=other,
        plan=Plan.objects.select_related("county").get(pk=tree.plan.pk),
        tree=tree,
        other_tree=PlanTree.build(county=other, goals=1, activities=1),
        users=users,
    )

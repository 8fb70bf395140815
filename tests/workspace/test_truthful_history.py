"""A history that tells the truth: only real changes become versions, and versions read as the pages do."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from activities.models import Activity, ActivityFollowUp
from planportal.lib.history import history_context, save_with_history
from plans.imports.base import as_text, same_text
from plans.models import Goal, Organisation, Plan, PriorityArea
from tests.factories import FollowUpFactory, GoalFactory
from tests.personas import World, queries_for

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The fields of a page's edit form and the values a browser would submit for them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._text = ""
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._fields = []
        if self._fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self._fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._fields is not None:
            # HTML drops the newline right after <textarea>; browsers submit CRLF line endings.
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self._fields.append((self._textarea, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._fields is not None:
            self.forms.append(self._fields)
            self._fields = None


def submitted(client, url: str) -> dict[str, list[str]]:
    """What a browser posts when the edit form at ``url`` is saved without touching it."""
    reader = _FormReader()
    reader.feed(client.get(url).content.decode())
    form = next(fields for fields in reader.forms if any(name == "change_reason" for name, _ in fields))
    data: dict[str, list[str]] = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    return data


@pytest.fixture
def world():
    return World.build()


@pytest.fixture
def activity(world):
    """An activity as imports and earlier forms left it: several lines, money and dates."""
    activity = world.tree.activities[0]
    activity.current_state = "Rad ett\nRad två\n\nStycke två"
    activity.cost_text = "500 000 kr\nper år"
    activity.budget = Decimal("500000.00")
    activity.start_date = datetime.date(2022, 3, 3)
    activity.status = "ongoing"
    activity.save()
    activity.lead_organisations.add(Organisation.objects.create(name="Region Norrbotten"))
    return activity


def edit_urls(world, activity) -> dict[str, tuple[type, int, str]]:
    follow_up = FollowUpFactory(activity=activity, achieved="Gjort\nMer gjort", spent=Decimal("1234.50"))
    goal = world.tree.goals[0]
    goal.background = "Bakgrund\nmed två rader"
    goal.save()
    return {
        "activity": (Activity, activity.pk, reverse("activity_edit", args=[activity.pk])),
        "goal": (Goal, goal.pk, reverse("goal_edit", args=[goal.pk])),
        "plan": (Plan, world.tree.plan.pk, reverse("plan_edit", args=[world.tree.plan.pk])),
        "priority area": (
            PriorityArea,
            activity.priority_area_id,
            reverse("priority_area_edit", args=[activity.priority_area_id]),
        ),
        "follow-up": (ActivityFollowUp, follow_up.pk, reverse("follow_up_edit", args=[follow_up.pk])),
    }


@pytest.mark.parametrize("kind", ["activity", "goal", "plan", "priority area", "follow-up"])
def test_it_writes_no_version_when_a_form_is_saved_untouched(client, world, activity, kind):
    model, pk, url = edit_urls(world, activity)[kind]
    world.login(client, "editor")
    data = submitted(client, url)
    assert any("\r\n" in value for values in data.values() for value in values) or kind in (
        "plan",
        "priority area",
    )
    versions = model.history.filter(id=pk).count()

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert model.history.filter(id=pk).count() == versions


def test_it_writes_exactly_one_version_for_a_real_change(client, world, activity):
    url = reverse("activity_edit", args=[activity.pk])
    world.login(client, "editor")
    data = submitted(client, url)
    data["budget"] = ["450 000"]
    versions = activity.history.count()

    assert client.post(url, data).status_code == 302

    assert activity.history.count() == versions + 1
    activity.refresh_from_db()
    assert activity.budget == Decimal("450000")
    assert activity.current_state == "Rad ett\nRad två\n\nStycke två"


def test_it_stores_texts_with_one_kind_of_line_ending_and_no_trailing_blanks(client, world, activity):
    url = reverse("activity_edit", args=[activity.pk])
    world.login(client, "editor")
    data = submitted(client, url)
    data["current_state"] = ["Första raden  \r\nAndra raden\t\r\n\r\n"]

    assert client.post(url, data).status_code == 302

    activity.refresh_from_db()
    assert activity.current_state == "Första raden\nAndra raden"


def test_it_writes_a_version_when_only_the_links_change(world, activity):
    versions = activity.history.count()
    assert not save_with_history(activity)
    assert activity.history.count() == versions

    def link_another_goal():
        activity.goals.add(world.tree.goals[1])

    assert save_with_history(activity, save_m2m=link_another_goal)
    assert activity.history.count() == versions + 1
    assert set(activity.history.latest().goals.values_list("goal_id", flat=True)) == {
        goal.pk for goal in world.tree.goals[:2]
    }


def test_it_normalises_imported_text_too():
    assert as_text("Rad ett \r\nRad två\r\n") == "Rad ett\nRad två"
    assert same_text("Rad ett\r\nRad två", "Rad ett\nRad två ")


def _compare(client, activity, older, newer) -> str:
    response = client.get(
        reverse("history_compare", args=["activity", activity.pk]),
        {"fran": older.history_id, "till": newer.history_id},
    )
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_values_in_comparisons_as_the_pages_do(client, world, activity):
    before = activity.history.latest()
    new_goal = GoalFactory(plan=world.tree.plan, code="B3.1", title="Barn och unga mår bättre")
    deleted_goal = world.tree.goals[0]
    activity.goals.set([deleted_goal, new_goal])
    with history_context(user=world.users["editor"]):
        activity.budget = Decimal("450000")
        activity.start_date = datetime.date(2023, 1, 15)
        activity.status = "delayed"
        activity.activity_type = "knowledge"
        activity.priority_area = None
        save_with_history(activity)
    after = activity.history.latest()
    area_name = world.tree.activities[1].priority_area.name
    Goal.objects.filter(pk=deleted_goal.pk).delete()
    world.login(client, "reader")

    content = _compare(client, activity, before, after)

    assert "<del>500\u00a0000\u00a0kr</del>" in content and "<ins>450\u00a0000\u00a0kr</ins>" in content
    assert "500000.00" not in content
    assert "<del>3 mars 2022</del>" in content and "<ins>15 januari 2023</ins>" in content
    assert "<del>pågående</del>" in content and "<ins>försenad</ins>" in content
    assert "<ins>kunskapshöjande</ins>" in content
    assert f"<del>{area_name}</del>" in content
    assert "Barn och unga mår bättre" in content
    assert f"{deleted_goal} (borttagen)" in content
    assert "Budget (kr)" in content


def test_it_labels_money_in_english_with_its_currency(client, world, activity):
    before = activity.history.latest()
    activity.budget = Decimal("450000")
    save_with_history(activity)
    world.login(client, "reader")
    response = client.get(
        reverse("history_compare", args=["activity", activity.pk]),
        {"fran": before.history_id, "till": activity.history.latest().history_id},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    content = response.content.decode()
    assert "Compare versions" in content
    assert "Budget (SEK)" in content and "Budget (sek)" not in content


def test_it_lists_no_field_for_texts_that_differ_only_in_line_endings(client, world, activity):
    before = activity.history.latest()
    # A version stored before forms normalised texts: CRLF, otherwise the same.
    Activity.history.filter(history_id=before.history_id).update(
        current_state="Rad ett\r\nRad två\r\n\r\nStycke två"
    )
    activity.status = "done"
    save_with_history(activity)
    world.login(client, "reader")

    content = _compare(client, activity, before, activity.history.latest())

    assert "Nuläge" not in content.split('<table class="diff">')[1]


def _restore_first_edit(client, world, activity):
    first = activity.history.latest()
    with history_context(user=world.users["editor"], reason="Fel siffra"):
        activity.budget = Decimal("1")
        save_with_history(activity)
    world.login(client, "editor")
    client.post(reverse("history_restore", args=["activity", activity.pk, first.history_id]))
    return first


def test_it_marks_a_restore_in_the_history_and_the_compare_page(client, world, activity):
    first = _restore_first_edit(client, world, activity)
    restore = activity.history.latest()
    assert restore.is_restore and restore.history_restored_from == first.history_date
    assert restore.history_change_reason is None

    history = client.get(reverse("object_history", args=["activity", activity.pk])).content.decode()
    assert "<td>Återställd</td>" in history
    assert "Återställd till versionen från" in history

    compare = client.get(reverse("history_compare", args=["activity", activity.pk])).content.decode()
    assert "(återställd, " in compare


def test_it_shows_a_restored_deleted_item_as_restored_in_the_countys_latest_changes(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    client.post(reverse("activity_delete", args=[activity.pk]))
    deletion = Activity.history.get(id=activity.pk, history_type="-")
    client.post(reverse("history_restore", args=["activity", activity.pk, deletion.history_id]))
    restore = Activity.history.filter(id=activity.pk).latest()
    assert restore.history_type == "+" and restore.is_restore

    content = client.get(reverse("county_detail", args=["BD"])).content.decode()
    latest_changes = content.split('id="changes"')[1]
    assert "(återställd)" in latest_changes
    assert "Återställd till versionen från" in latest_changes


def test_it_words_restores_in_the_readers_language(client, world, activity):
    _restore_first_edit(client, world, activity)
    restore = activity.history.latest()
    with translation.override("en"):
        assert restore.action_label == "restored"
        assert restore.reason_text.startswith("Restored the version of ")
    with translation.override("sv"):
        assert restore.reason_text.startswith("Återställd till versionen från ")


def test_it_names_the_plan_of_deleted_items(client, world):
    world.login(client, "editor")
    client.post(reverse("activity_delete", args=[world.tree.activities[0].pk]))
    client.post(reverse("goal_delete", args=[world.tree.goals[1].pk]))

    content = client.get(reverse("county_deleted", args=["BD"])).content.decode()

    assert content.count(world.tree.plan.title) >= 2
    assert reverse("plan_detail", args=[world.tree.plan.pk]) in content


def test_it_lists_many_deleted_items_in_as_many_queries_as_few(client, world):
    world.login(client, "editor")
    client.post(reverse("activity_delete", args=[world.tree.activities[0].pk]))
    few = queries_for(client, reverse("county_deleted", args=["BD"]))
    for activity in world.tree.activities[1:]:
        client.post(reverse("activity_delete", args=[activity.pk]))
    for goal in world.tree.goals:
        client.post(reverse("goal_delete", args=[goal.pk]))

    many = queries_for(client, reverse("county_deleted", args=["BD"]))

    assert many == few
    sections = client.get(reverse("county_deleted", args=["BD"])).context["sections"]
    assert sum(len(section["records"]) for section in sections) == len(world.tree.activities) + 2


def test_it_lists_an_item_deleted_twice_once(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    client.post(reverse("activity_delete", args=[activity.pk]))
    deletion = Activity.history.get(id=activity.pk, history_type="-")
    client.post(reverse("history_restore", args=["activity", activity.pk, deletion.history_id]))
    client.post(reverse("activity_delete", args=[activity.pk]))

    sections = client.get(reverse("county_deleted", args=["BD"])).context["sections"]

    assert [record.id for record in sections[0]["records"]] == [activity.pk]

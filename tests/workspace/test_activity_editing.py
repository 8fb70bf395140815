from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from activities.forms import ActivityForm, FollowUpForm, StatusForm
from activities.models import Activity
from plans.forms import GoalForm, PlanForm, PriorityAreaForm
from plans.models import County, SubRegion
from tests.factories import GoalFactory, OrganisationFactory, PlanTree
from tests.personas import EDIT, PERSONAS, World, assert_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World.build()


def activity_data(**overrides) -> dict:
    data = {
        "title": "Utbildning i suicidprevention för skolpersonal",
        "current_state": "Kunskapen om suicid behöver öka",
        "expected_result": "Fler vågar fråga om suicid",
        "indicators_text": "Antal utbildade",
        "timeline": "2022-2025",
        "responsible": "Länssamordnare, Region Norrbotten",
        "cost_text": "Inom ram",
        "status": "planned",
        "activity_type": "knowledge",
        "budget": "450 000",
        "funding_source": "Stimulansmedel",
        "start_date": "2022-03-01",
        "end_date": "2023-12-31",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_countys_editor_open_the_new_activity_form(client, world, persona):
    world.login(client, persona)
    assert_status(client.get(reverse("activity_create", args=[world.tree.plan.pk])), EDIT[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_creates_an_activity_only_for_the_countys_editor(client, world, persona):
    world.login(client, persona)
    before = Activity.objects.count()
    response = client.post(reverse("activity_create", args=[world.tree.plan.pk]), activity_data())
    if persona == "editor":
        assert response.status_code == 302
        assert Activity.objects.count() == before + 1
    else:
        assert_status(response, EDIT[persona] if EDIT[persona] != 200 else 404)
        assert Activity.objects.count() == before


def test_it_creates_an_activity_linked_to_two_goals_as_one_version(client, world):
    first, second = world.tree.goals
    world.login(client, "editor")
    response = client.post(
        reverse("activity_create", args=[world.tree.plan.pk]),
        activity_data(goals=[first.pk, second.pk], change_reason="Beslut i länsstyrgruppen"),
    )
    activity = Activity.objects.get(title="Utbildning i suicidprevention för skolpersonal")
    assert response["Location"] == reverse("activity_detail", args=[activity.pk])
    assert set(activity.goals.all()) == {first, second}
    assert activity.budget == Decimal("450000")
    version = activity.history.get()
    assert version.history_user == world.users["editor"]
    assert version.history_change_reason == "Beslut i länsstyrgruppen"
    assert {row.goal_id for row in version.goals.all()} == {first.pk, second.pk}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "Detta fält måste fyllas i."),
        ({"end_date": "2021-01-01"}, "Slutdatum kan inte ligga före startdatum."),
        ({"budget": "-5 000"}, "Belopp kan inte vara negativa."),
        ({"budget": "femtio tusen"}, "Ange ett belopp"),
        ({"status": "klar"}, "Välj ett giltigt alternativ"),
    ],
    ids=["empty title", "end before start", "negative budget", "budget not a number", "unknown status"],
)
def test_it_rejects_bad_input_with_a_swedish_message_and_saves_nothing(client, world, overrides, message):
    world.login(client, "editor")
    before = Activity.objects.count()
    response = client.post(reverse("activity_create", args=[world.tree.plan.pk]), activity_data(**overrides))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "Inget har sparats" in content
    assert Activity.objects.count() == before


def test_it_rejects_a_goal_of_another_plan(client, world):
    foreign = world.other_tree.goals[0]
    own_county_other_plan = PlanTree.build(county=world.county, activities=0).goals[0]
    world.login(client, "editor")
    for goal in (foreign, own_county_other_plan):
        response = client.post(
            reverse("activity_create", args=[world.tree.plan.pk]), activity_data(goals=[goal.pk])
        )
        assert response.status_code == 400
        assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Activity.objects.filter(title__startswith="Utbildning i suicid").exists()


def test_it_edits_an_activity_and_keeps_who_and_why(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    form = client.get(reverse("activity_edit", args=[activity.pk])).context["form"]
    response = client.post(
        reverse("activity_edit", args=[activity.pk]),
        activity_data(version=form.initial["version"], title="Nytt namn", change_reason="Ny inriktning"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Nytt namn"
    latest = activity.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (world.users["editor"], "Ny inriktning")


def test_it_shows_a_conflict_instead_of_overwriting_a_newer_save(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    loaded = client.get(reverse("activity_edit", args=[activity.pk])).context["form"].initial["version"]

    # Someone else saves in between.
    activity.refresh_from_db()
    activity.expected_result = "Deras nya mål"
    activity.save()

    response = client.post(
        reverse("activity_edit", args=[activity.pk]),
        activity_data(version=loaded, expected_result="Mitt nya mål"),
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Någon annan hann spara först" in content
    assert "Deras nya mål" in content and "Mitt nya mål" in content
    activity.refresh_from_db()
    assert activity.expected_result == "Deras nya mål"

    # Saving anyway is a choice the user makes on the conflict page.
    resubmit = dict(response.context["resubmit"])
    resubmit["version"] = response.context["current_version"]
    resubmit["overwrite"] = "1"
    assert client.post(reverse("activity_edit", args=[activity.pk]), resubmit).status_code == 302
    activity.refresh_from_db()
    assert activity.expected_result == "Mitt nya mål"


def test_it_deletes_an_activity_and_offers_it_for_restore(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    response = client.post(reverse("activity_delete", args=[activity.pk]), {"change_reason": "Dubblett"})
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    deleted = client.get(reverse("county_deleted", args=["BD"])).content.decode()
    assert activity.title in deleted and "Dubblett" in deleted


def test_it_does_not_delete_an_activity_changed_after_the_delete_page_was_opened(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    loaded = client.get(reverse("activity_delete", args=[activity.pk])).context["version"]

    activity.refresh_from_db()
    activity.title = "Omdöpt under tiden"
    activity.save()

    response = client.post(reverse("activity_delete", args=[activity.pk]), {"version": loaded})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Någon annan ändrade det här" in content and "Omdöpt under tiden" in content
    assert Activity.objects.filter(pk=activity.pk).exists()

    # Confirmed from the page as it is now, it goes.
    response = client.post(
        reverse("activity_delete", args=[activity.pk]), {"version": response.context["version"]}
    )
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.parametrize("persona", ["other_editor", "reader", "approver"])
def test_it_does_not_let_others_delete(client, world, persona):
    activity = world.tree.activities[0]
    world.login(client, persona)
    assert client.post(reverse("activity_delete", args=[activity.pk])).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_does_not_move_an_activity_to_another_county_through_a_forged_post(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    form = client.get(reverse("activity_edit", args=[activity.pk])).context["form"]
    data = activity_data(
        version=form.initial["version"], plan=world.other_tree.plan.pk, county=world.other_county.pk
    )
    assert client.post(reverse("activity_edit", args=[activity.pk]), data).status_code == 302
    activity.refresh_from_db()
    assert activity.plan == world.tree.plan


def test_it_offers_only_the_plans_own_goals(client, world):
    goal = GoalFactory(plan=world.tree.plan, code="V9.9")
    world.login(client, "editor")
    content = client.get(reverse("activity_create", args=[world.tree.plan.pk])).content.decode()
    assert "V9.9" in content
    assert goal.title in content
    assert world.other_tree.goals[0].title not in content


def test_it_offers_lead_organisations_as_checkboxes_grouped_by_kind_in_swedish_order(client, world):
    for name, kind in [
        ("Örebro brukarråd", "user_org"),
        ("Ale brukarråd", "user_org"),
        ("Region BD", "region"),
    ]:
        OrganisationFactory(name=name, kind=kind, county=world.county)
    OrganisationFactory(name="Nationell myndighet", kind="authority", county=None)
    OrganisationFactory(name="Gävle kommun", kind="municipality", county=world.other_county)
    world.login(client, "editor")
    content = client.get(reverse("activity_create", args=[world.tree.plan.pk])).content.decode()
    assert '<select name="lead_organisations"' not in content
    assert 'type="checkbox" name="lead_organisations"' in content
    assert 'class="checkbox-list scroll"' in content
    # Group names (the kinds) and organisations, in the order a Swedish reader expects.
    texts = [
        ">Region<",
        "Region BD",
        ">Brukarorganisation<",
        "Ale brukarråd",
        "Örebro brukarråd",
        ">Myndighet<",
    ]
    positions = [content.index(text) for text in texts]
    assert positions == sorted(positions)
    assert "Gävle kommun" not in content


def test_it_saves_lead_organisations_only_of_the_county_or_national(client, world):
    own = OrganisationFactory(name="Region BD", county=world.county)
    national = OrganisationFactory(name="Nationell myndighet", kind="authority", county=None)
    foreign = OrganisationFactory(name="Region X", county=world.other_county)
    world.login(client, "editor")
    url = reverse("activity_create", args=[world.tree.plan.pk])
    response = client.post(url, activity_data(lead_organisations=[own.pk, foreign.pk]))
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert client.post(url, activity_data(lead_organisations=[own.pk, national.pk])).status_code == 302
    activity = Activity.objects.get(title__startswith="Utbildning i suicid")
    assert set(activity.lead_organisations.all()) == {own, national}


def test_it_offers_sub_regions_only_in_a_county_that_has_them(client, world):
    world.login(client, "editor")
    url = reverse("activity_create", args=[world.tree.plan.pk])
    assert 'name="sub_regions"' not in client.get(url).content.decode()
    assert client.post(url, activity_data()).status_code == 302
    # Not shown is not open: a forged sub-region of another county is still refused.
    foreign = SubRegion.objects.create(county=world.other_county, name="Gästrikland")
    assert client.post(url, activity_data(title="Annan", sub_regions=[foreign.pk])).status_code == 400
    SubRegion.objects.create(county=world.county, name="Östra Norrbotten")
    content = client.get(url).content.decode()
    assert 'name="sub_regions"' in content and "Östra Norrbotten" in content


def test_it_labels_every_field_with_a_capital_letter(client, world):
    world.login(client, "editor")
    content = client.get(reverse("activity_create", args=[world.tree.plan.pk])).content.decode()
    assert "Budget (kr)" in content and "budget (kr)" not in content
    assert '<option value="ongoing">Pågående</option>' in content
    assert '<option value="knowledge">Kunskapshöjande</option>' in content
    all_forms = [
        ActivityForm(plan=world.tree.plan),
        FollowUpForm(activity=world.tree.activities[0]),
        StatusForm(),
        PlanForm(editable_counties=County.objects.all()),
        GoalForm(plan=world.tree.plan),
        PriorityAreaForm(),
    ]
    for form in all_forms:
        for name, field in form.fields.items():
            if field.label:
                assert str(field.label)[0].isupper(), (type(form).__name__, name, field.label)
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                labels = [str(label) for value, label in field.choices if value]
                assert all(label[0].isupper() for label in labels), (type(form).__name__, name, labels)


def test_it_reads_budget_in_sek_in_english(client, world):
    world.login(client, "editor")
    with translation.override("en"):
        assert str(ActivityForm(plan=world.tree.plan).fields["budget"].label) == "Budget (SEK)"
        assert str(FollowUpForm(activity=world.tree.activities[0]).fields["spent"].label) == "Spent (SEK)"

"""An admin can work in the Django admin from day one: every model is there, with its history."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from activities.models import Activity
from tests.factories import FollowUpFactory, IndicatorValueFactory, PlanTree, UserFactory

pytestmark = pytest.mark.django_db

MODELS = [
    model
    for app in ("plans", "activities", "indicators")
    for model in apps.get_app_config(app).get_models()
    if not model.__name__.startswith("Historical") and not model._meta.auto_created
]


@pytest.fixture
def admin_client(client):
    tree = PlanTree.build(activities=2)
    FollowUpFactory(activity=tree.activities[0])
    IndicatorValueFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_it_registers_every_model(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_it_lists_searches_and_opens_history(admin_client, model):
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "Region"}).status_code == 200
    instance = model.objects.first()
    if instance is not None and hasattr(model, "history"):
        history = reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[instance.pk])
        assert admin_client.get(history).status_code == 200


def test_it_keeps_djangos_change_in_swedish_in_the_admin(admin_client):
    """The site's language button ("Byt") has its own message; the admin's "Ändra" is Django's."""
    activity = Activity.objects.first()
    pages = [
        reverse("admin:index"),
        reverse("admin:activities_activity_changelist"),
        reverse("admin:activities_activity_change", args=[activity.pk]),
    ]
    for url in pages:
        content = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
        assert "Ändra" in content, url
        assert re.search(r"\bByt\b(?! lösenord)", content) is None, url
    site = admin_client.get(reverse("home")).content.decode()
    assert '<button type="submit">Byt</button>' in site

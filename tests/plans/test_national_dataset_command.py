"""The benchmark dataset command, at a tiny scale (the full set is built by `make bench`)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from activities.models import Activity
from indicators.models import IndicatorValue
from plans.management.commands.build_national_dataset import GROWTH_TITLE
from plans.models import Plan

pytestmark = pytest.mark.django_db


def build() -> None:
    call_command("build_national_dataset", counties=1, scale=0.02, verbosity=0)


def test_it_builds_plans_history_deleted_items_and_values():
    build()
    assert Plan.objects.filter(title=GROWTH_TITLE.format(size=60)).exists()
    assert Activity.objects.count() > 60
    assert IndicatorValue.objects.filter(municipality__isnull=False).exists()
    assert IndicatorValue.objects.filter(county__isnull=False).exists()
    longest = Activity.history.values("id").annotate(n=Count("history_id")).order_by("-n").first()
    assert longest["n"] >= 30
    deleted = Activity.history.filter(history_type="-").exclude(id__in=Activity.objects.values("id"))
    assert deleted.exists()


def test_it_generates_users_without_real_names_or_addresses():
    build()
    users = get_user_model().objects.all()
    assert {"systemforvaltare", "samordnare-ab"} <= {user.username for user in users}
    assert not any(user.email for user in users)
    assert not any(user.has_usable_password() for user in users)


def snapshot() -> list[tuple]:
    """Build, read the activities, and roll everything back."""
    with transaction.atomic():
        build()
        rows = list(
            Activity.objects.order_by("plan__title", "position").values_list(
                "plan__title", "position", "title", "status", "budget"
            )
        )
        transaction.set_rollback(True)
    return rows


def test_it_is_deterministic():
    assert snapshot() == snapshot()


def test_it_refuses_a_database_with_plans():
    build()
    with pytest.raises(CommandError, match="--force"):
        build()

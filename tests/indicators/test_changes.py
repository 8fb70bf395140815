"""The indicator page's latest changes: who changed which of the county's values, when and why."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from indicators.services import WEB_REASON
from planportal.lib.history import history_context
from tests.indicators.test_editing import grid, values_url
from tests.indicators.test_pages_support import build

pytestmark = pytest.mark.django_db


def test_it_lists_the_latest_changes_with_who_and_why_and_never_another_countys(client):
    setup = build()
    with history_context(reason="Kolada-synk"):
        IndicatorValue.objects.create(
            indicator=setup.national, year=2024, county=setup.world.county, value=Decimal("61.5")
        )
        # A value of Gävleborg's municipality: not Norrbotten's to see.
        IndicatorValue.objects.create(
            indicator=setup.national, year=2024, municipality=setup.gavle, value=Decimal("4242")
        )
    setup.world.login(client, "editor")
    data = grid(client, values_url(setup))
    data[f"c-{setup.world.county.pk}-T"] = "57,5"
    assert client.post(values_url(setup), data).status_code == 302

    setup.world.login(client, "reader")
    page = client.get(reverse("indicator_detail", args=["BD", setup.national.pk])).content.decode()
    changes = page[page.index('id="andringar"') :]
    assert "Kolada-synk" in changes and WEB_REASON in changes
    assert "57,5" in changes and "61,5" in changes
    assert setup.world.users["editor"].get_username() in changes
    assert "4242" not in changes and "4 242" not in changes and "Gävle" not in changes
    # The newest first.
    assert changes.index(WEB_REASON) < changes.index("Kolada-synk")

"""Locust scenario for `make loadtest`: logged-in coordinators and readers of several counties.

Started by loadtest/run.py, which sets the accounts' password (LOADTEST_PASSWORD) and the list
of accounts (LOADTEST_ACCOUNTS: "username:edit,username:read,…"); each simulated user takes the
next account, so several editing sessions share a county and meet on the same activities.

Readers open the start page, their county, a plan, activities and their history. Editors also
change a status in the plan matrix with the version the page showed (as htmx does), and edit a
follow-up through its form. A conflict (someone saved first) is an expected outcome, counted
apart; every other status than the expected one is a failure.
"""

import json
import os
import random
import re
import uuid
from collections import Counter
from html.parser import HTMLParser
from itertools import count

from locust import HttpUser, between, events, task

ACCOUNTS = [item.split(":") for item in os.environ.get("LOADTEST_ACCOUNTS", "").split(",") if item]
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "")
CONFLICT_TEXT = "Någon annan ändrade aktiviteten nyss"
STATUSES = ["planned", "ongoing", "done", "delayed", "paused", "cancelled"]
TOKEN = re.compile(r"Lasttest (\w+) efter (\w+)")
# Editors of one county pick from its first activities half of the time, so that they collide.
HOT_ACTIVITIES = 6

_next_account = count()
outcomes: Counter = Counter()


class FormParser(HTMLParser):
    """The fields of the first POST form to ``action`` (or to its own URL), as a browser posts them."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.done = action, False, False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (attrs.get("method") or "").lower() == "post":
            # The edit page's form posts to its own URL (no action); a partial names it.
            action = attrs.get("action") or ""
            self.inside = not action or self.action in action
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.fields[name] = attrs.get("value") or ""
        elif tag == "input" and name and "checked" in attrs:
            self.fields[name] = attrs.get("value") or "on"
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and ("selected" in attrs or not self.fields[self._select]):
            self.fields[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            # A browser drops the line break that follows <textarea>.
            self.fields[self._textarea] = self.fields[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, action: str) -> dict[str, str]:
    parser = FormParser(action)
    parser.feed(html)
    return parser.fields


class CountyUser(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        username, mode = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.editor = mode == "edit"
        self.client.get("/konto/login/", name="login form")
        with self.client.post(
            "/konto/login/",
            {"username": username, "password": PASSWORD, "next": "/"},
            headers={"X-CSRFToken": self.csrf()},
            name="login",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {username} answered {response.status_code}")
        home = self.client.get("/", name="home").text
        self.counties = sorted(set(re.findall(r'href="/lan/([A-Z]{1,2})/"', home)))
        self.plans: list[int] = []
        self.activities: list[int] = []
        self.follow_ups: list[int] = []
        self.county()
        self.plan()

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    # Reading ------------------------------------------------------------------------------

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(2)
    def county(self) -> None:
        if not self.counties:
            return
        page = self.client.get(f"/lan/{random.choice(self.counties)}/", name="county").text
        self.plans = sorted({int(pk) for pk in re.findall(r'href="/planer/(\d+)/"', page)}) or self.plans

    @task(2)
    def plan(self) -> None:
        if not self.plans:
            return
        page = self.client.get(f"/planer/{random.choice(self.plans)}/", name="plan").text
        # (activity id, version, current status) of each row's status form.
        self.rows = re.findall(
            r'action="/aktiviteter/(\d+)/status/".*?name="version" value="([^"]*)".*?'
            r'<option value="(\w+)" selected',
            page,
            flags=re.S,
        )
        self.activities = [int(pk) for pk in dict.fromkeys(re.findall(r'href="/aktiviteter/(\d+)/"', page))]

    @task(4)
    def activity(self) -> None:
        if not self.activities:
            return
        page = self.client.get(f"/aktiviteter/{self.pick(self.activities)}/", name="activity").text
        self.follow_ups = [int(pk) for pk in re.findall(r'href="/uppfoljningar/(\d+)/redigera/"', page)]

    @task(2)
    def history(self) -> None:
        if self.activities:
            self.client.get(f"/historik/activity/{self.pick(self.activities)}/", name="history")

    # Editing ------------------------------------------------------------------------------

    def pick(self, items: list):
        if random.random() < 0.5:
            return random.choice(items[:HOT_ACTIVITIES])
        return random.choice(items)

    @task(3)
    def change_status(self) -> None:
        if not self.editor or not getattr(self, "rows", None):
            return
        activity_id, version, current = self.pick(self.rows)
        status = random.choice([status for status in STATUSES if status != current])
        with self.client.post(
            f"/aktiviteter/{activity_id}/status/",
            {"status": status, "version": version, "csrfmiddlewaretoken": self.csrf()},
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf()},
            name="status (htmx)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status change answered {response.status_code}")
            elif CONFLICT_TEXT in response.text:
                outcomes["status conflict"] += 1
            else:
                outcomes["status saved"] += 1
        # The matrix now shows the row as saved; a later change starts from the plan page again.
        self.rows = [row for row in self.rows if row[0] != activity_id]

    @task(1)
    def edit_follow_up(self) -> None:
        if not self.editor or not self.follow_ups:
            return
        url = f"/uppfoljningar/{random.choice(self.follow_ups)}/redigera/"
        page = self.client.get(url, name="follow-up form")
        fields = form_fields(page.text, url)
        if "version" not in fields:
            return
        # Each text names the version it was written over; the checker follows the chain.
        seen = TOKEN.search(fields.get("achieved", ""))
        fields["achieved"] = f"Lasttest {uuid.uuid4().hex[:12]} efter {seen.group(1) if seen else 'start'}"
        fields["csrfmiddlewaretoken"] = self.csrf()
        with self.client.post(
            url, fields, name="follow-up save", catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code == 302:
                outcomes["follow-up saved"] += 1
            elif response.status_code == 409:
                outcomes["follow-up conflict"] += 1
                response.success()
            else:
                response.failure(f"follow-up save answered {response.status_code}")


@events.quitting.add_listener
def _write_outcomes(environment, **kwargs) -> None:
    path = os.environ.get("LOADTEST_OUTCOMES")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(dict(outcomes), handle)

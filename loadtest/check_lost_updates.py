"""Check from the history that no saved change was lost: `python loadtest/check_lost_updates.py SINCE`.

- Status: every version written by a status change ("Status ändrad från X till Y") must start
  from the status of the version before it (X) and hold Y. A lost update shows as two changes
  from the same X one after the other.
- Follow-ups: the load test writes "Lasttest <token> efter <previous token>"; every such version
  must follow the version whose token it names.

Prints what it checked and exits 1 if anything was lost. SINCE is an ISO date-time (UTC).
"""

import os
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATUS_CHANGE = re.compile(r"^(?:Status ändrad från|Status changed from) (.+) (?:till|to) (.+)$")
FOLLOW_UP = re.compile(r"Lasttest (\w+) efter (\w+)")


@dataclass
class Findings:
    status_changes: int = 0
    follow_up_edits: int = 0
    lost: list[str] = field(default_factory=list)


def check(since: datetime) -> Findings:
    from django.db.models import Q
    from django.utils import translation

    from activities.models import Activity, ActivityFollowUp, Status

    findings = Findings()
    with translation.override("sv"):
        label = {value: str(text) for value, text in Status.choices}
    history = Activity.history.model
    reasons = Q(history_change_reason__startswith="Status ändrad") | Q(
        history_change_reason__startswith="Status changed"
    )
    changed = history.objects.filter(reasons, history_date__gte=since)
    for activity_id in set(changed.values_list("id", flat=True)):
        versions = list(history.objects.filter(id=activity_id).order_by("history_date", "history_id"))
        for before, version in pairwise(versions):
            match = STATUS_CHANGE.match(version.history_change_reason or "")
            if not match or version.history_date < since:
                continue
            findings.status_changes += 1
            old, new = match.groups()
            if old.lower() != label[before.status].lower() or new.lower() != label[version.status].lower():
                findings.lost.append(
                    f"activity {activity_id}, version {version.history_id}: "
                    f"'{version.history_change_reason}' but the version before held {label[before.status]!r}"
                )
    history = ActivityFollowUp.history.model
    edited = history.objects.filter(history_date__gte=since, achieved__startswith="Lasttest ")
    for follow_up_id in set(edited.values_list("id", flat=True)):
        versions = list(history.objects.filter(id=follow_up_id).order_by("history_date", "history_id"))
        for before, version in pairwise(versions):
            match = FOLLOW_UP.search(version.achieved)
            if not match or version.history_date < since:
                continue
            findings.follow_up_edits += 1
            previous = FOLLOW_UP.search(before.achieved)
            expected = previous.group(1) if previous else "start"
            if match.group(2) != expected:
                findings.lost.append(
                    f"follow-up {follow_up_id}, version {version.history_id}: written over {match.group(2)} "
                    f"but the version before was {expected}"
                )
    return findings


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planportal.settings")
    import django

    django.setup()
    findings = check(datetime.fromisoformat(sys.argv[1]))
    print(
        f"{findings.status_changes} status changes and {findings.follow_up_edits} follow-up edits checked, "
        f"{len(findings.lost)} lost updates"
    )
    for line in findings.lost:
        print("  LOST:", line)
    return 1 if findings.lost else 0


if __name__ == "__main__":
    sys.exit(main())

"""Bring stored texts and restore records to the form the code now writes.

Texts: browsers sent CRLF line endings, which forms now normalise; texts stored
before would otherwise show as changed at their next untouched save. Restores:
they used to be recognisable only by a change reason written in Swedish (or
English); they are now marked by ``history_restored_from`` and worded at display.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models import Q

MODELS = [
    ("plans", "Plan"),
    ("plans", "PriorityArea"),
    ("plans", "Goal"),
    ("activities", "Activity"),
    ("activities", "ActivityFollowUp"),
]
_LINE_BREAK = re.compile(r"\r\n?")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january"),
            ("februari", "february"),
            ("mars", "march"),
            ("april",),
            ("maj", "may"),
            ("juni", "june"),
            ("juli", "july"),
            ("augusti", "august"),
            ("september",),
            ("oktober", "october"),
            ("november",),
            ("december",),
        ],
        start=1,
    )
    for name in names
}
RESTORE_REASON = re.compile(
    r"^(?:Återställd till versionen från|Restored the version of) "
    r"(\d{1,2}) (\w+) (\d{4}) (\d{1,2}):(\d{2})$"
)


def normalise_text(value: str) -> str:
    # A copy of planportal.lib.textdiff.normalise_text as it was when this migration was written.
    lines = _LINE_BREAK.sub("\n", value).split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip()


def _needs_normalising(name: str) -> Q:
    return (
        Q(**{f"{name}__contains": "\r"})
        | Q(**{f"{name}__contains": " \n"})
        | Q(**{f"{name}__contains": "\t\n"})
        | Q(**{f"{name}__endswith": " "})
        | Q(**{f"{name}__endswith": "\n"})
        | Q(**{f"{name}__endswith": "\t"})
    )


def normalise(apps, schema_editor):
    for app_label, name in MODELS:
        for model in (apps.get_model(app_label, name), apps.get_model(app_label, f"Historical{name}")):
            texts = [
                field.name
                for field in model._meta.concrete_fields
                if field.get_internal_type() in ("CharField", "TextField")
                and not field.name.startswith("history_")
                and not field.choices
            ]
            for text in texts:
                changed = []
                for row in model.objects.filter(_needs_normalising(text)).only("pk", text).iterator():
                    setattr(row, text, normalise_text(getattr(row, text)))
                    changed.append(row)
                model.objects.bulk_update(changed, [text], batch_size=500)


def mark_restores(apps, schema_editor):
    zone = ZoneInfo(settings.TIME_ZONE)
    for app_label, name in MODELS:
        model = apps.get_model(app_label, f"Historical{name}")
        changed = []
        restores = model.objects.filter(
            Q(history_change_reason__startswith="Återställd till versionen från ")
            | Q(history_change_reason__startswith="Restored the version of ")
        )
        for record in restores.only("pk", "history_change_reason").iterator():
            match = RESTORE_REASON.match(record.history_change_reason.strip())
            month = MONTHS.get(match.group(2).lower()) if match else None
            if month is None:
                continue
            day, _month, year, hour, minute = match.groups()
            record.history_restored_from = datetime(
                int(year), month, int(day), int(hour), int(minute), tzinfo=zone
            )
            record.history_change_reason = None
            changed.append(record)
        model.objects.bulk_update(changed, ["history_restored_from", "history_change_reason"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_history_restores_and_indexes"),
        ("plans", "0004_history_restores_and_indexes"),
    ]

    operations = [
        migrations.RunPython(normalise, migrations.RunPython.noop),
        migrations.RunPython(mark_restores, migrations.RunPython.noop),
    ]

"""The activity matrix's columns, and its cells built in Python.

A plan's matrix has hundreds of rows of eight or nine cells; like the Django admin's
change list (``items_for_result``), the cells are made with ``format_html`` rather than
a template node per cell, which makes the page several times cheaper to render.
"""

from collections.abc import Container

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity, Status
from planportal.lib.swedish import format_sek
from planportal.templatetags.display import clamp

# URL key, label, the activity's field. The title and the status are always shown.
COLUMNS = [
    ("nulage", gettext_lazy("Current state"), "current_state"),
    ("mal", gettext_lazy("Expected result"), "expected_result"),
    ("indikatorer", gettext_lazy("Indicators"), "indicators_text"),
    ("tidsplan", gettext_lazy("Timeline"), "timeline"),
    ("ansvar", gettext_lazy("Responsible"), "responsible"),
    ("kostnad", gettext_lazy("Cost"), "cost_text"),
    ("budget", gettext_lazy("Budget"), "budget"),
]
COLUMN_KEYS = [key for key, _label, _field in COLUMNS]
_BY_KEY = {key: (label, field) for key, label, field in COLUMNS}


class RowRenderer:
    """Renders matrix rows for one request: what every row shares is worked out once."""

    def __init__(
        self,
        *,
        columns: list[str],
        can_edit: bool,
        csrf_token: str,
        next_url: str,
        editable: Container[int] = frozenset(),
    ) -> None:
        self.columns = [key for key in COLUMN_KEYS if key in columns]
        self.can_edit = can_edit
        # The rows a user without ``can_edit`` may still change the status of (a contributor's).
        self.editable = editable
        self.labels = {key: escape(str(label)) for key, label, _field in COLUMNS}
        self.status_label = escape(_("Status"))
        self.status_of = escape(_("Status of"))
        self.save = escape(_("Save"))
        self.status_word = escape(_("status"))
        self.saved_text = escape(_("Saved"))
        statuses = [(value, str(label).capitalize()) for value, label in Status.choices]
        self.status_names = dict(statuses)
        # The status menu per current status: six options built once, not once per row.
        self.options = {
            current: "".join(
                f'<option value="{value}"{" selected" if value == current else ""}>{escape(label)}</option>'
                for value, label in statuses
            )
            for current, _label in statuses
        }
        self.hidden = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
            f'<input type="hidden" name="next" value="{escape(next_url)}">'
        )

    def __call__(
        self, activity: Activity, *, prefix: str = "", error: str | None = None, saved: bool = False
    ) -> SafeString:
        prefix = escape(prefix)
        return mark_safe(
            f'<tr id="{prefix}aktivitet-{activity.pk}">{self.title_cell(activity)}'
            f"{self.cells(activity)}{self.status_cell(activity, prefix, error, saved)}</tr>"
        )

    def title_cell(self, activity: Activity) -> str:
        tags = "".join(
            f'<span class="tag" title="{escape(goal.title)}">{escape(goal.code)}</span>'
            for goal in activity.goals.all()
        )
        if tags:
            tags = f'<span class="tags">{tags}</span>'
        title = escape(activity.title).replace("\n", "<br>")
        url = reverse("activity_detail", args=[activity.pk])
        return f'<th scope="row" class="col-title"><a href="{url}">{title}</a>{tags}</th>'

    def cells(self, activity: Activity) -> str:
        cells = []
        for key in self.columns:
            _label, field = _BY_KEY[key]
            if key == "budget":
                amount = "" if activity.budget is None else format_sek(activity.budget)
                cells.append(f'<td class="num" data-label="{self.labels[key]}">{amount}</td>')
            else:
                cells.append(f'<td data-label="{self.labels[key]}">{clamp(getattr(activity, field))}</td>')
        return "".join(cells)

    def status_cell(self, activity: Activity, prefix: str, error: str | None, saved: bool) -> str:
        if not (self.can_edit or activity.pk in self.editable):
            name = escape(self.status_names.get(activity.status, activity.status))
            body = f'<span class="status status-{escape(activity.status)}">{name}</span>'
            return f'<td class="col-status" data-label="{self.status_label}">{body}</td>'
        url = reverse("activity_status", args=[activity.pk])
        version = activity.updated_at.isoformat() if activity.updated_at else ""
        field_id = f"{prefix}status-{activity.pk}"
        title = escape(truncatechars(activity.title, 60))
        if error:
            message = f'<p class="errors" role="alert">{escape(error)}</p>'
        elif saved:
            message = f'<p class="saved" role="status">{self.saved_text}</p>'
        else:
            message = ""
        return (
            f'<td class="col-status" data-label="{self.status_label}">'
            f'<form method="post" action="{url}" hx-post="{url}" hx-trigger="change, submit" '
            f'hx-target="closest tr" hx-swap="outerHTML">{self.hidden}'
            f'<input type="hidden" name="version" value="{version}">'
            f'<input type="hidden" name="rad" value="{prefix}">'
            f'<label class="visually-hidden" for="{field_id}">{self.status_of} {title}</label>'
            f'<select id="{field_id}" name="status">{self.options.get(activity.status, "")}</select> '
            # An id, so that htmx gives the focus back to the button when it replaces the row.
            f'<button type="submit" class="small" id="{prefix}status-save-{activity.pk}">{self.save}'
            f'<span class="visually-hidden"> {self.status_word}</span></button></form>{message}</td>'
        )

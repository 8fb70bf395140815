"""Small display filters used across templates (loaded as builtins)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def who(user) -> str:
    """A user as people see them: full name, else username; '–' for nobody (e.g. a script)."""
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()


# Longer cells of the matrix are folded to a few lines and open in place (<details>, no script).
CLAMP_CHARS = 140
CLAMP_LINES = 5


@register.filter
def clamp(value) -> str:
    """Text with its line breaks; a long text folded into a <details> that shows it whole."""
    text = "" if value is None else str(value).replace("\r\n", "\n")
    html = escape(text).replace("\n", "<br>")
    if len(text) <= CLAMP_CHARS and text.count("\n") < CLAMP_LINES:
        return mark_safe(html)
    return mark_safe(
        f'<details class="clamp"><summary><span class="clamp-text">{html}</span></summary></details>'
    )

"""Small display filters used across templates (loaded as builtins)."""

from django import template

register = template.Library()


@register.filter
def who(user) -> str:
    """A user as people see them: full name, else username; '–' for nobody (e.g. a script)."""
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()

"""Template filters for numbers as Swedish readers write them (loaded as builtins)."""

from django import template

from planportal.lib import swedish

register = template.Library()


@register.filter
def sek(value) -> str:
    return swedish.format_sek(value)


@register.filter
def number(value, decimals: int = 0) -> str:
    return swedish.format_number(value, int(decimals))


@register.filter
def percent(value, decimals: int = 1) -> str:
    return swedish.format_percent(value, int(decimals))

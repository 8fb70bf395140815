"""Filters of the indicator pages."""

from decimal import Decimal

from django import template

from planportal.lib.charts import decimals_needed
from planportal.lib.swedish import format_number

register = template.Library()


@register.filter
def indicator_number(value) -> str:
    """A value as the indicator pages write it: Swedish decimals, as many as it has (at most two)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    return format_number(value, decimals_needed([value]))

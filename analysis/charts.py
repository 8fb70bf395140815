"""A sorted horizontal bar chart in SVG: one bar per county, its latest value written beside it.

Drawn like ``planportal.lib.charts`` (plain SVG, no script, DejaVu Sans, Swedish numbers) and
readable without colour: every bar carries its value and year as text. Kept here and not in
``planportal.lib.charts`` while the indicator pages change that module.
"""

from collections.abc import Sequence
from decimal import Decimal
from itertools import count
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from planportal.lib.charts import FONT, GRID_COLOUR, INK, MUTED, VALUE_COLOUR, decimals_needed, nice_ticks
from planportal.lib.swedish import format_number

_ids = count(1)

Bar = tuple[str, Decimal | float, int]  # label, value, year


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str = "", width: int = 640) -> SafeString:
    """Bars in the given order, each labelled with its value and, when it differs from the most
    common year, the year. Empty when there is nothing to draw."""
    if not bars:
        return mark_safe("")
    label_width, value_width, bar_height, gap, top, bottom = 150, 92, 16, 6, 26, 22
    plot_width = width - label_width - value_width
    height = top + len(bars) * (bar_height + gap) + bottom
    numbers = [float(value) for _label, value, _year in bars]
    ticks = nice_ticks(min(0.0, min(numbers)), max(numbers), whole=all(n.is_integer() for n in numbers))
    low, high = ticks[0], ticks[-1]
    decimals = decimals_needed(numbers)
    years = [year for _label, _value, year in bars]
    usual_year = max(set(years), key=years.count)

    def x(value: float) -> float:
        return label_width + (value - low) / (high - low) * plot_width

    chart_id = f"bars-{next(_ids)}"
    described = "; ".join(
        f"{label}: {format_number(value, decimals)} ({year})" for label, value, year in bars
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bar-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'font-family="{FONT}" font-size="11">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(described)}</desc>',
    ]
    if unit:
        parts.append(f'<text x="{label_width}" y="12" fill="{MUTED}">{escape(unit)}</text>')
    for tick in ticks:
        tx = x(tick)
        parts.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 4}" y2="{height - bottom}" '
            f'stroke="{GRID_COLOUR}" stroke-width="{1.2 if tick == 0 else 0.6}"/>'
            f'<text x="{tx:.1f}" y="{height - bottom + 14}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(format_number(tick, 0 if float(tick).is_integer() else decimals))}</text>"
        )
    zero = x(max(low, 0.0))
    for index, (label, value, year) in enumerate(bars):
        y = top + index * (bar_height + gap)
        end = x(float(value))
        left, right = sorted((zero, end))
        text = format_number(value, decimals) + ("" if year == usual_year else f" ({year})")
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 4}" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
            f'<rect x="{left:.1f}" y="{y}" width="{max(right - left, 1):.1f}" height="{bar_height}" '
            f'fill="{VALUE_COLOUR}"/>'
            f'<text x="{right + 4:.1f}" y="{y + bar_height - 4}" fill="{INK}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))

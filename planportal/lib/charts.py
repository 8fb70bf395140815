"""SVG charts, drawn on the server: the one chart source of the web pages and the PDFs.

An indicator's values over the years against its target, as a small line chart. The
SVG is plain markup (no script, no external reference), so the browser shows it inline
and WeasyPrint draws it into the PDF the same way. Text is set in DejaVu Sans, which the
PDF embeds; numbers are written as Swedish readers write them.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count, pairwise
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from planportal.lib.swedish import format_number

Point = tuple[int, Decimal | float | int]

VALUE_COLOUR = "#00557a"
TARGET_COLOUR = "#a84300"
GRID_COLOUR = "#d0d5da"
INK = "#1d2327"
MUTED = "#50575e"
FONT = "DejaVu Sans, Verdana, sans-serif"

_ids = count(1)


@dataclass(frozen=True)
class _Frame:
    width: int
    height: int
    left: int = 52
    right: int = 14
    top: int = 30
    bottom: int = 26

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


def nice_ticks(low: float, high: float, *, wanted: int = 4, whole: bool = False) -> list[float]:
    """Round tick values from at most ``low`` to at least ``high`` (1, 2, 2.5 or 5 times 10^n apart).

    ``whole`` keeps the step at 1 or more, for things that are counted.
    """
    if high <= low:
        high = low + (abs(low) or 1)
    raw_step = (high - low) / wanted
    if whole:
        raw_step = max(raw_step, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    steps = (1, 2, 5, 10) if whole and magnitude >= 1 else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw_step * 0.999)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(index * step, 10) for index in range(first, last + 1)]


def _decimals_for(ticks: Sequence[float]) -> int:
    if len(ticks) < 2:
        return 0
    step = abs(ticks[1] - ticks[0])
    return 0 if step >= 1 else min(3, -math.floor(math.log10(step)))


def decimals_needed(values: Iterable[float | Decimal]) -> int:
    """As many decimals as the values need to be written exactly, at most two."""
    needed = 0
    for value in values:
        for decimals in range(3):
            if abs(round(float(value), decimals) - float(value)) < 1e-9:
                needed = max(needed, decimals)
                break
        else:
            needed = 2
    return needed


@dataclass(frozen=True)
class _Scale:
    """Where a year and a value fall in the frame, and the y axis' ticks: one for each chart."""

    frame: _Frame
    first_year: int
    last_year: int
    ticks: list[float]

    @classmethod
    def fit(cls, frame: _Frame, years: Sequence[int], numbers: Sequence[float]) -> "_Scale":
        whole = all(float(n).is_integer() for n in numbers)
        ticks = nice_ticks(min(0.0, min(numbers)), max(numbers), whole=whole)
        return cls(frame, min(years), max(years), ticks)

    def x(self, year: int) -> float:
        frame = self.frame
        if self.last_year == self.first_year:
            return frame.left + frame.plot_width / 2
        return frame.left + (year - self.first_year) / (self.last_year - self.first_year) * frame.plot_width

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.frame.top + (1 - (value - low) / (high - low)) * self.frame.plot_height


def _axes(scale: _Scale, unit: str) -> list[str]:
    """The grid with the y axis' numbers, the years below, and the unit above."""
    frame = scale.frame
    tick_decimals = _decimals_for(scale.ticks)
    parts = []
    for tick in scale.ticks:
        ty = scale.y(tick)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="{1.2 if tick == 0 else 0.6}"/>'
            f'<text x="{frame.left - 6}" y="{ty + 3.5:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(format_number(tick, tick_decimals))}</text>"
        )
    # Year labels: every year while they fit, else every second or fifth.
    span = scale.last_year - scale.first_year + 1
    every = 1 if span <= 12 else 2 if span <= 24 else 5
    for year in range(scale.first_year, scale.last_year + 1):
        if (year - scale.first_year) % every and year != scale.last_year:
            continue
        parts.append(
            f'<text x="{scale.x(year):.1f}" y="{frame.height - frame.bottom + 15}" text-anchor="middle" '
            f'fill="{MUTED}">{year}</text>'
        )
    if unit:
        parts.append(f'<text x="{frame.left}" y="{frame.top - 10}" fill="{MUTED}">{escape(unit)}</text>')
    return parts


def _target_marks(scale: _Scale, targets: Sequence[tuple[int, float]]) -> list[str]:
    """Targets as a dashed line (a level line when there is one) with a diamond at each."""
    frame, x, y = scale.frame, scale.x, scale.y
    parts = []
    if len(targets) == 1:
        target_y = y(targets[0][1])
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{target_y:.1f}" '
            f'y2="{target_y:.1f}" stroke="{TARGET_COLOUR}" stroke-width="1.6" stroke-dasharray="6 4"/>'
        )
    elif targets:
        points = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in targets)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{TARGET_COLOUR}" '
            f'stroke-width="1.6" stroke-dasharray="6 4"/>'
        )
    for year, value in targets:
        cx, cy = x(year), y(value)
        parts.append(
            f'<path d="M{cx:.1f} {cy - 4.5:.1f} L{cx + 4.5:.1f} {cy:.1f} L{cx:.1f} {cy + 4.5:.1f} '
            f'L{cx - 4.5:.1f} {cy:.1f} Z" fill="#fff" stroke="{TARGET_COLOUR}" stroke-width="1.4"/>'
        )
    return parts


def indicator_chart(
    values: Sequence[Point],
    targets: Sequence[Point] = (),
    *,
    title: str,
    unit: str = "",
    width: int = 440,
    height: int = 190,
) -> SafeString:
    """A line chart of ``values`` (year, value) with ``targets`` (year, value) as a dashed line.

    Returns an empty string when there is nothing to draw, so that a template can say
    so in words instead. One target is drawn as a level line across the chart.
    """
    values = sorted((int(year), float(value)) for year, value in values)
    targets = sorted((int(year), float(value)) for year, value in targets)
    if not values and not targets:
        return mark_safe("")

    frame = _Frame(width=width, height=height)
    numbers = [value for _y, value in values] + [value for _y, value in targets]
    scale = _Scale.fit(frame, [year for year, _v in values + targets], numbers)
    x, y = scale.x, scale.y
    value_decimals = decimals_needed(numbers)

    chart_id = f"chart-{next(_ids)}"
    label_value, label_target = _("Value"), _("Target value")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'font-family="{FONT}" font-size="10">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_describe(values, targets, value_decimals))}</desc>',
        *_axes(scale, unit),
        # Targets drawn under the values.
        *_target_marks(scale, targets),
    ]

    if len(values) > 1:
        points = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in values)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{VALUE_COLOUR}" stroke-width="2.2" '
            f'stroke-linejoin="round"/>'
        )
    for year, value in values:
        parts.append(f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="3" fill="{VALUE_COLOUR}"/>')
    if values:
        # The latest value, written out: the figure a reader looks for first.
        year, value = values[-1]
        anchor = "end" if x(year) > width - 60 else "middle"
        label_y = y(value) - 7
        # Below the point when the target line passes just above it, or there is no room above.
        target_here = _target_at(targets, year)
        if (target_here is not None and 0 <= y(value) - y(target_here) < 16) or label_y < 20:
            label_y = y(value) + 14
        parts.append(
            f'<text x="{x(year):.1f}" y="{label_y:.1f}" text-anchor="{anchor}" fill="{INK}" '
            f'font-weight="bold">{escape(format_number(value, value_decimals))}</text>'
        )

    # Legend, top right: line samples, so that it reads in black and white too.
    legend_x = width - frame.right - 170
    if values:
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 18}" y1="10" y2="10" stroke="{VALUE_COLOUR}" '
            f'stroke-width="2.2"/>'
            f'<text x="{legend_x + 22}" y="13.5" fill="{INK}">{escape(label_value)}</text>'
        )
    if targets:
        parts.append(
            f'<line x1="{legend_x + 80}" x2="{legend_x + 98}" y1="10" y2="10" stroke="{TARGET_COLOUR}" '
            f'stroke-width="1.6" stroke-dasharray="6 4"/>'
            f'<text x="{legend_x + 102}" y="13.5" fill="{INK}">{escape(label_target)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _target_at(targets: Sequence[tuple[int, float]], year: int) -> float | None:
    """Where the dashed target line is at ``year``: a level line, or between two targets."""
    if len(targets) == 1:
        return targets[0][1]
    for (left_year, left), (right_year, right) in pairwise(targets):
        if left_year <= year <= right_year:
            return left + (right - left) * (year - left_year) / (right_year - left_year)
    return None


def _describe(values: Sequence[Point], targets: Sequence[Point], decimals: int) -> str:
    """The chart in one sentence, for screen readers and for the PDF's text layer."""
    sentences = []
    if values:
        listed = "; ".join(f"{year}: {format_number(value, decimals)}" for year, value in values)
        sentences.append(f"{_('Value')} {listed}.")
    if targets:
        listed = "; ".join(f"{year}: {format_number(value, decimals)}" for year, value in targets)
        sentences.append(f"{_('Target value')} {listed}.")
    return " ".join(sentences)


@dataclass(frozen=True)
class Series:
    """One line of a :func:`series_chart`: a label and its points (year, value)."""

    label: str
    points: Sequence[Point]


# Told apart without colour: each line has its own dash pattern and marker as well as colour.
SERIES_STYLES = (
    (VALUE_COLOUR, "", "circle"),
    ("#5b3a8c", "2 3", "square"),
    ("#2e6b30", "8 3 2 3", "triangle"),
)


def _marker(kind: str, cx: float, cy: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{cx - 3.2:.1f}" y="{cy - 3.2:.1f}" width="6.4" height="6.4" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<path d="M{cx:.1f} {cy - 4:.1f} L{cx + 4:.1f} {cy + 3.2:.1f} L{cx - 4:.1f} {cy + 3.2:.1f} Z" '
            f'fill="{colour}"/>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}"/>'


def _exact(value: float) -> str:
    """A value with as many decimals as it needs (at most two): 13, 12,5."""
    return format_number(value, decimals_needed([value]))


def series_chart(
    series: Sequence[Series],
    targets: Sequence[Point] = (),
    *,
    title: str,
    unit: str = "",
    width: int = 480,
    height: int = 260,
) -> SafeString:
    """A line chart of up to three ``series`` (e.g. the county and one of its areas) with ``targets``.

    Each line is told apart by its dash pattern and marker, not by colour alone; the legend
    shows both, and ``<desc>`` lists every value for screen readers. Empty when there is nothing
    to draw, like :func:`indicator_chart`.
    """
    lines = [
        (item.label, sorted((int(year), float(value)) for year, value in item.points))
        for item in series[: len(SERIES_STYLES)]
    ]
    lines = [(label, points) for label, points in lines if points]
    targets = sorted((int(year), float(value)) for year, value in targets)
    if not lines and not targets:
        return mark_safe("")
    legend_rows = (len(lines) + (1 if targets else 0) + 1) // 2
    frame = _Frame(width=width, height=height, top=30 + 16 * legend_rows)
    years = [year for _label, points in lines for year, _v in points] + [year for year, _v in targets]
    numbers = [value for _label, points in lines for _y, value in points] + [value for _y, value in targets]
    scale = _Scale.fit(frame, years, numbers)
    x, y = scale.x, scale.y
    value_decimals = decimals_needed(numbers)

    chart_id = f"chart-{next(_ids)}"
    described = []
    for label, points in lines:
        listed = "; ".join(f"{year}: {_exact(value)}" for year, value in points)
        described.append(f"{label}: {listed}.")
    if targets:
        listed = "; ".join(f"{year}: {_exact(value)}" for year, value in targets)
        described.append(f"{_('Target value')}: {listed}.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'font-family="{FONT}" font-size="13">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(" ".join(described))}</desc>',
        *_axes(scale, unit),
        *_target_marks(scale, targets),
    ]

    for (_label, points), (colour, dash, marker) in zip(lines, SERIES_STYLES, strict=False):
        if len(points) > 1:
            drawn = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in points)
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{drawn}" fill="none" stroke="{colour}" stroke-width="2.2" '
                f'stroke-linejoin="round"{dashes}/>'
            )
        parts.extend(_marker(marker, x(year), y(value), colour) for year, value in points)
    if lines:
        # The first line's latest value, written out: above its point, unless another line's
        # point of that year sits just above it (then below), or there is no room above.
        year, value = lines[0][1][-1]
        anchor = "end" if x(year) > width - 60 else "middle"
        others = [y(v) for _label, points in lines[1:] for other_year, v in points if other_year == year]
        crowded_above = any(0 <= y(value) - other < 22 for other in others)
        label_y = y(value) - 8 if y(value) - 8 > frame.top and not crowded_above else y(value) + 17
        parts.append(
            f'<text x="{x(year):.1f}" y="{label_y:.1f}" text-anchor="{anchor}" fill="{INK}" '
            f'font-weight="bold">{escape(format_number(value, value_decimals))}</text>'
        )

    # Legend: two entries a row, each a sample of its line with its marker.
    entries = [
        (label, colour, dash, marker)
        for (label, _p), (colour, dash, marker) in zip(lines, SERIES_STYLES, strict=False)
    ]
    if targets:
        entries.append((_("Target value"), TARGET_COLOUR, "6 4", "diamond"))
    column_width = (width - frame.left - frame.right) / 2
    for index, (label, colour, dash, marker) in enumerate(entries):
        lx = frame.left + (index % 2) * column_width
        ly = 12 + 16 * (index // 2)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx:.1f}" x2="{lx + 26:.1f}" y1="{ly}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2"{dashes}/>'
        )
        if marker == "diamond":
            parts.append(
                f'<path d="M{lx + 13:.1f} {ly - 4} L{lx + 17:.1f} {ly} L{lx + 13:.1f} {ly + 4} '
                f'L{lx + 9:.1f} {ly} Z" '
                f'fill="#fff" stroke="{colour}" stroke-width="1.4"/>'
            )
        else:
            parts.append(_marker(marker, lx + 13, ly, colour))
        shortened = label if len(label) <= 38 else label[:37] + "…"
        parts.append(f'<text x="{lx + 32:.1f}" y="{ly + 4}" fill="{INK}">{escape(shortened)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))

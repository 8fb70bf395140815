"""Progress of an indicator, judged one way everywhere: the indicator, goal, plan, county,
logic and national pages and the report all ask :func:`judge` (or :func:`county_progress`).

The rule (written out for people in the README, "Hur framsteg bedöms"):

1. The desired direction is the indicator's; where it has none, the direction from the
   baseline to the target. With neither, there is not enough to judge (*underlag saknas*).
2. The county's baseline (year and value), its latest value for the whole county (total,
   both genders) from a year after the baseline year, and its target: the first target
   from the latest value's year on, else the last target. Any of them missing: *underlag saknas*.
3. The target reached (or passed, in the desired direction): *i fas*.
4. Moved the wrong way from the baseline by more than 1 % of the distance from the
   baseline to the target (at least 1 % of the baseline): *går åt fel håll*.
   Moved less than that either way: *ingen framgång*.
5. Otherwise the share of the distance covered is compared with the share of the time
   from the baseline year to the target year that has passed: at least as far as the
   time → *i fas*; less → *viss framgång*.

The trend arrow compares the latest value with the one before it: better, worse or the same,
in the desired direction.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

Point = tuple[int, Decimal]

TOLERANCE = Decimal("0.01")


class Judgement(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    SOME_PROGRESS = "some_progress", _("some progress")
    NO_PROGRESS = "no_progress", _("no progress")
    WRONG_WAY = "wrong_way", _("going the wrong way")
    NO_DATA = "no_data", _("not enough data")


# A symbol beside every word, so that the judgement never rests on colour alone.
SYMBOLS = {
    Judgement.ON_TRACK: "✓",
    Judgement.SOME_PROGRESS: "◐",
    Judgement.NO_PROGRESS: "○",
    Judgement.WRONG_WAY: "✗",
    Judgement.NO_DATA: "–",
}


class Trend(models.TextChoices):
    BETTER = "better", _("better than the year before")
    WORSE = "worse", _("worse than the year before")
    SAME = "same", _("unchanged from the year before")
    UNKNOWN = "", _("no earlier value")


@dataclass(frozen=True)
class Progress:
    judgement: Judgement
    direction: str  # "up", "down" or "" when it cannot be told
    baseline: Point | None = None
    latest: Point | None = None
    previous: Point | None = None
    target: Point | None = None
    # Why there is not enough to judge, in words; empty otherwise.
    missing: str = ""
    # How far from the baseline to the target the latest value has come (0–1+), when judged.
    share_done: Decimal | None = None

    @property
    def label(self) -> str:
        return str(self.judgement.label)

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.judgement]

    @property
    def css_class(self) -> str:
        return f"progress-{self.judgement.value.replace('_', '-')}"

    @property
    def trend(self) -> Trend:
        if not (self.latest and self.previous and self.direction):
            return Trend.UNKNOWN
        change = self.latest[1] - self.previous[1]
        if change == 0:
            return Trend.SAME
        return Trend.BETTER if (change > 0) == (self.direction == "up") else Trend.WORSE

    @property
    def trend_arrow(self) -> str:
        """Which way the latest value moved: ↑ up, ↓ down, → not at all."""
        if not (self.latest and self.previous):
            return ""
        change = self.latest[1] - self.previous[1]
        return "→" if change == 0 else "↑" if change > 0 else "↓"


def judge(
    *,
    desired_direction: str,
    baseline: Point | None,
    values: Sequence[Point],
    targets: Sequence[Point],
) -> Progress:
    """Judge progress from the baseline, the county's values and targets (year, value)."""
    values = sorted((int(year), Decimal(value)) for year, value in values)
    targets = sorted((int(year), Decimal(value)) for year, value in targets)
    baseline = (int(baseline[0]), Decimal(baseline[1])) if baseline else None
    latest = values[-1] if values else None
    previous = values[-2] if len(values) > 1 else None
    after_baseline = [point for point in values if baseline and point[0] > baseline[0]]
    if after_baseline:
        latest = after_baseline[-1]
    target = None
    if targets:
        target_from = latest[0] if latest else (baseline[0] if baseline else targets[0][0])
        target = next((point for point in targets if point[0] >= target_from), targets[-1])

    direction = desired_direction if desired_direction in ("up", "down") else ""
    if not direction and baseline and target and target[1] != baseline[1]:
        direction = "up" if target[1] > baseline[1] else "down"

    def not_enough(missing: str) -> Progress:
        return Progress(
            Judgement.NO_DATA, direction, baseline, latest, previous, target, missing=str(missing)
        )

    if baseline is None:
        return not_enough(_("No baseline."))
    if target is None:
        return not_enough(_("No target value."))
    if not direction:
        return not_enough(_("No desired direction."))
    if not after_baseline:
        return not_enough(_("No value after the baseline year."))

    sign = 1 if direction == "up" else -1
    gained = sign * (latest[1] - baseline[1])
    needed = sign * (target[1] - baseline[1])
    share = gained / needed if needed > 0 else None

    def judged(judgement: Judgement) -> Progress:
        return Progress(judgement, direction, baseline, latest, previous, target, share_done=share)

    if sign * (latest[1] - target[1]) >= 0:
        return judged(Judgement.ON_TRACK)
    tolerance = max(abs(needed), abs(baseline[1])) * TOLERANCE
    if gained < -tolerance:
        return judged(Judgement.WRONG_WAY)
    if abs(gained) <= tolerance:
        return judged(Judgement.NO_PROGRESS)
    if target[0] <= baseline[0]:
        time_share = Decimal(1)
    else:
        time_share = min(Decimal(1), Decimal(latest[0] - baseline[0]) / Decimal(target[0] - baseline[0]))
    return judged(Judgement.ON_TRACK if share >= time_share else Judgement.SOME_PROGRESS)


def county_progress(county_id: int, indicators: Iterable) -> dict[int, Progress]:
    """The progress of each of ``indicators`` in the county: three queries, whatever their number."""
    from indicators.models import Gender, IndicatorBaseline, IndicatorTarget, IndicatorValue

    indicators = list(indicators)
    ids = [indicator.pk for indicator in indicators]
    if not ids:
        return {}
    baselines = {
        indicator_id: (year, value)
        for indicator_id, year, value in IndicatorBaseline.objects.filter(
            indicator_id__in=ids, county_id=county_id
        ).values_list("indicator_id", "year", "value")
    }
    values: dict[int, list[Point]] = defaultdict(list)
    for indicator_id, year, value in (
        IndicatorValue.objects.filter(indicator_id__in=ids, county_id=county_id, gender=Gender.TOTAL)
        .order_by()
        .values_list("indicator_id", "year", "value")
    ):
        values[indicator_id].append((year, value))
    targets: dict[int, list[Point]] = defaultdict(list)
    for indicator_id, year, value in (
        IndicatorTarget.objects.filter(indicator_id__in=ids, county_id=county_id)
        .order_by()
        .values_list("indicator_id", "year", "value")
    ):
        targets[indicator_id].append((year, value))
    return {
        indicator.pk: judge(
            desired_direction=indicator.desired_direction,
            baseline=baselines.get(indicator.pk),
            values=values[indicator.pk],
            targets=targets[indicator.pk],
        )
        for indicator in indicators
    }


def summarise(progress: Iterable[Progress]) -> Mapping[Judgement, int]:
    """How many of each judgement, in the order of :class:`Judgement` (for goal, plan and county pages)."""
    counts = dict.fromkeys(Judgement, 0)
    for item in progress:
        counts[item.judgement] += 1
    return counts

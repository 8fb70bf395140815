"""Forms of the indicator pages: a county's own indicator, and the grids of values, baseline and targets."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import Indicator
from planportal.forms import CleanTextMixin, EditForm
from planportal.lib.swedish import format_number, parse_number

# What the value columns hold: max_digits=16, decimal_places=4.
MAX_DECIMALS = 4
LIMIT = Decimal("1e12")


class IndicatorForm(EditForm):
    """A county's own indicator; its code is unique within the county (the constraint says so)."""

    scope_fields = ("county",)

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "kind", "desired_direction", "source", "kolada_id", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


def parse_cell(text: str, *, percent: bool) -> Decimal | None:
    """A number typed in a grid cell ("12,5", "1 234"), None for an empty cell; ValidationError else."""
    try:
        number = parse_number(text)
    except ValueError:
        raise ValidationError(_("“%(text)s” is not a number, e.g. 12,5.") % {"text": text[:40]}) from None
    if number is None:
        return None
    if abs(number) >= LIMIT:
        raise ValidationError(_("The number is too large."))
    if -number.as_tuple().exponent > MAX_DECIMALS:
        raise ValidationError(_("At most four decimals."))
    if percent and not 0 <= number <= 100:
        raise ValidationError(_("A share must lie between 0 and 100 %."))
    return number


def cell_text(value: Decimal | None) -> str:
    """A stored value as a cell shows it: Swedish decimals, no needless zeros, no thousands gaps."""
    if value is None:
        return ""
    normal = value.normalize()
    decimals = max(0, -normal.as_tuple().exponent)
    return format_number(normal, decimals).replace("\u00a0", "")


class GridForm(CleanTextMixin, forms.Form):
    """A grid of number cells, each sent with the value it showed (``was-<name>``) for conflict checks.

    ``cells`` maps a cell name to its label (for error messages and screen readers).
    """

    def __init__(self, *args, cells: dict[str, str], percent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = cells
        self.percent = percent
        self.parsed: dict[str, tuple[str, Decimal | None]] = {}
        self.cell_errors: dict[str, str] = {}

    def clean(self):
        for name in self.cells:
            text = self.data.get(name, "")
            was = self.data.get(f"was-{name}", "")
            if name not in self.data:
                continue
            try:
                self.parsed[name] = (was, parse_cell(text, percent=self.percent))
            except ValidationError as error:
                self.cell_errors[name] = error.messages[0]
        if self.cell_errors:
            raise ValidationError(
                gettext_lazy("Some cells could not be read; nothing has been saved. See the marked cells.")
            )
        return self.cleaned_data


class YearChoiceForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)

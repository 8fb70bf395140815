import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityFollowUp, FollowUpState, Status
from planportal.forms import EditForm, MoneyField
from plans.forms import capitalised
from plans.models import Organisation, Plan


def organisation_groups(organisations) -> list[tuple]:
    """Organisations grouped by kind in the kinds' order ("Region", "Kommun", …); each group
    keeps the queryset's Swedish order."""
    by_kind: dict[str, list] = {}
    for organisation in organisations:
        by_kind.setdefault(organisation.kind, []).append((organisation.pk, str(organisation)))
    return [(capfirst(label), by_kind[kind]) for kind, label in Organisation.Kind.choices if kind in by_kind]


class ActivityForm(EditForm):
    scope_fields = ("plan",)
    budget = MoneyField(label=_("Budget (SEK)"), required=False)

    class Meta:
        model = Activity
        fields = [
            "title",
            "priority_area",
            "goals",
            "current_state",
            "expected_result",
            "indicators_text",
            "timeline",
            "responsible",
            "cost_text",
            "status",
            "activity_type",
            "start_date",
            "end_date",
            "budget",
            "funding_source",
            "lead_organisations",
            "sub_regions",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.CheckboxSelectMultiple,
            "lead_organisations": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list scroll"}),
            "sub_regions": forms.CheckboxSelectMultiple,
            "current_state": forms.Textarea(attrs={"rows": 3}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
            "indicators_text": forms.Textarea(attrs={"rows": 3}),
            "responsible": forms.Textarea(attrs={"rows": 2}),
            "cost_text": forms.Textarea(attrs={"rows": 2}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        # Only this plan's goals and areas, this county's sub-regions: anything else is
        # "not one of the available choices".
        self.fields["goals"].queryset = plan.goals.all()
        self.fields["priority_area"].queryset = plan.priority_areas.all()
        self.fields["sub_regions"].queryset = plan.county.sub_regions.all()
        if not plan.county.sub_regions.exists():
            # No empty box in a county without sub-regions; a forged value is still refused.
            self.fields["sub_regions"].widget = forms.MultipleHiddenInput()
        # Validation goes by the queryset; the checkboxes show the same rows grouped by kind.
        leads = self.fields["lead_organisations"]
        leads.queryset = Organisation.objects.filter(Q(county=plan.county) | Q(county__isnull=True))
        leads.choices = organisation_groups(leads.queryset)
        for name in ("status", "activity_type"):
            self.fields[name].choices = capitalised(self.fields[name].choices)

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


class StatusForm(forms.Form):
    """The inline status change on the plan page."""

    status = forms.ChoiceField(label=_("Status"), choices=capitalised(Status.choices))
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class FollowUpForm(EditForm):
    scope_fields = ("activity",)
    spent = MoneyField(label=_("Spent (SEK)"), required=False)

    class Meta:
        model = ActivityFollowUp
        fields = ["year", "status", "achieved", "planning", "spent"]
        widgets = {
            "achieved": forms.Textarea(attrs={"rows": 4}),
            "planning": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        self.fields["status"].choices = capitalised(self.fields["status"].choices)
        first, last = self.allowed_years(activity)
        self.fields["year"].widget = forms.NumberInput(attrs={"min": first, "max": last})
        if not self.instance.pk and "year" not in self.initial:
            self.initial["year"] = self.proposed_year(activity)

    @staticmethod
    def allowed_years(activity: Activity) -> tuple[int, int]:
        """From the plan's (or the activity's later) first year to the year after the plan,
        when the last follow-up is often written."""
        plan = activity.plan
        first = max(plan.start_year, activity.start_date.year if activity.start_date else 0)
        return min(first, plan.end_year + 1), plan.end_year + 1

    @staticmethod
    def proposed_year(activity: Activity, today: datetime.date | None = None) -> int:
        """This year, moved into the years both the activity and the plan run, and on to the
        nearest such year without a follow-up (earlier first: those are the ones missing)."""
        plan = activity.plan
        first = max(plan.start_year, activity.start_date.year if activity.start_date else plan.start_year)
        last = min(plan.end_year, activity.end_date.year if activity.end_date else plan.end_year)
        if first > last:  # dates outside the plan: fall back on what the form accepts
            first, last = FollowUpForm.allowed_years(activity)
        this_year = min(max((today or timezone.localdate()).year, first), last)
        taken = {follow_up.year for follow_up in activity.follow_ups.all()}
        free = [year for year in range(first, last + 1) if year not in taken]
        if this_year in taken and free:
            return min(free, key=lambda year: (abs(year - this_year), year))
        return this_year

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        activity = self.instance.activity
        plan = activity.plan
        if not plan.start_year <= year <= plan.end_year + 1:
            raise forms.ValidationError(
                _("The year must lie within the plan's period, %(period)s."), params={"period": plan.period}
            )
        first, _last = self.allowed_years(activity)
        # An older follow-up that predates the activity's start date may keep its year.
        if year < first and year != self.instance.year:
            raise forms.ValidationError(
                _("The activity starts in %(start)s; its follow-up cannot be for an earlier year."),
                params={"start": first},
            )
        return year


class FollowUpStateForm(forms.Form):
    """Mark a follow-up done, or reopen it as a draft."""

    state = forms.ChoiceField(choices=FollowUpState.choices)

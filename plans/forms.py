from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from planportal.forms import EditForm
from plans.models import County, Goal, Plan, PriorityArea


def capitalised(choices) -> list[tuple]:
    """Choices as the tables show them ("Fastställd"); the models keep them lower case."""
    return [(value, capfirst(label)) for value, label in choices]


class PlanForm(EditForm):
    county = forms.ModelChoiceField(queryset=County.objects.none(), label=_("County"))

    class Meta:
        model = Plan
        fields = [
            "county",
            "title",
            "start_year",
            "end_year",
            "status",
            "adopted_on",
            "adopted_by",
            "revised_on",
            "description",
        ]
        widgets = {
            "adopted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "revised_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, editable_counties, **kwargs):
        super().__init__(*args, **kwargs)
        # A forged county id is "not one of the available choices", with Django's message.
        self.fields["county"].queryset = editable_counties
        self.fields["status"].choices = capitalised(self.fields["status"].choices)

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class PriorityAreaForm(EditForm):
    scope_fields = ("plan",)

    class Meta:
        model = PriorityArea
        fields = ["name", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class GoalForm(EditForm):
    scope_fields = ("plan",)

    class Meta:
        model = Goal
        fields = ["code", "title", "target_group", "focus_area", "priority_area", "background", "responsible"]
        widgets = {"background": forms.Textarea(attrs={"rows": 5}), "title": forms.TextInput()}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["priority_area"].queryset = plan.priority_areas.all()
        self.fields["target_group"].choices = capitalised(self.fields["target_group"].choices)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

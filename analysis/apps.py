from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    """What the plans add up to: the logic of a plan, its coverage, and the national view."""

    name = "analysis"
    verbose_name = _("Analysis")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    """The accessibility statement (tillgänglighetsredogörelse) the accessibility law asks for."""

    name = "accessibility"
    verbose_name = _("Accessibility")

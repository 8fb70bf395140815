from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    """What a county publishes: adopted plans and approved reports, readable by everyone."""

    name = "publication"
    verbose_name = _("Publication")

from django import template

from planportal.sso import configured_providers

register = template.Library()


@register.simple_tag
def sso_providers() -> list[dict]:
    """The configured identity providers, for the login page's buttons: [{provider_id, name}]."""
    return [{"provider_id": app["provider_id"], "name": app["name"]} for app in configured_providers()]

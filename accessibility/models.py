from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accessibility import defaults
from planportal.lib.history import HistoricalRecords
from planportal.models import TimeStampedModel


class Conformance(models.TextChoices):
    """The three levels DIGG's model statement lets a body state."""

    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class AccessibilityStatement(TimeStampedModel):
    """The site's one accessibility statement, with what DIGG requires of it (DOS-lagen).

    A single row (id 1), made with a truthful default text the first time anyone asks for it.
    """

    SINGLETON_ID = 1

    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        help_text=_("The public body responsible for the service."),
    )
    service = models.CharField(_("service"), max_length=300, help_text=_("The website or service covered."))
    conformance = models.CharField(
        _("conformance"), max_length=10, choices=Conformance.choices, default=Conformance.PARTIAL
    )
    non_accessible = models.TextField(
        _("content that is not accessible"),
        blank=True,
        help_text=_("Known shortcomings and why: disproportionate burden, or not covered. Markdown."),
    )
    assessment = models.TextField(
        _("how the service was assessed"), help_text=_("Method and tools used. Markdown.")
    )
    assessed_on = models.DateField(_("assessed on"))
    contact_email = models.EmailField(
        _("contact e-mail"),
        help_text=_("A functional mailbox for reporting problems, not a person's own address."),
    )
    contact_text = models.TextField(
        _("how to report a problem"), blank=True, help_text=_("Shown above the contact address. Markdown.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="accessibility_statement_singleton")]

    def __str__(self) -> str:
        return str(_("Accessibility statement"))

    @classmethod
    def load(cls) -> "AccessibilityStatement":
        """The statement, made with the default text if it does not exist yet."""
        statement, _created = cls.objects.get_or_create(
            id=cls.SINGLETON_ID,
            defaults={
                "organisation": defaults.ORGANISATION,
                "service": defaults.SERVICE,
                "conformance": Conformance.PARTIAL,
                "non_accessible": defaults.NON_ACCESSIBLE,
                "assessment": defaults.ASSESSMENT,
                "assessed_on": defaults.ASSESSED_ON,
                "contact_email": settings.DEFAULT_FROM_EMAIL,
                "contact_text": defaults.CONTACT,
            },
        )
        return statement

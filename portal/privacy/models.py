"""Personal information: the policies people agree to, their consents, cancellation requests, and the retention
periods the association sets. (The website's filing numbers are part of `core.AssociationContact`.)"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.core.routing import OneQueryViewRestrictionsMixin


class DocumentKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy policy")
    TERMS = "terms", _("User agreement")


# ------------------------------------------------------------------------------------ policy pages


class LegalDocumentPage(OneQueryViewRestrictionsMixin, Page):
    """《隐私政策》 or 《用户协议》, maintained by editors.

    The text's history is the page's revisions; `version` is what people agree to. Editors raise it when
    a change needs everyone's consent again (new purposes, new kinds of data, new recipients); a
    correction that does not (a typo, a new phone number) keeps the version, and nobody is asked again.
    """

    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(
        _("version"), default=1, validators=[MinValueValidator(1)],
        help_text=_("Raise it when everybody must agree again: they are asked at their next login. "
                    "Keep it for corrections that change nothing people agreed to."),
    )
    effective_date = models.DateField(_("effective date"), default=timezone.localdate)
    change_summary = models.TextField(
        _("what changed in this version"), blank=True,
        help_text=_("Shown to people who are asked to agree again."),
    )
    body = RichTextField(_("text"))

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("kind"), FieldPanel("version"), FieldPanel("effective_date"),
                         FieldPanel("change_summary")], heading=_("Version")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["core.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("privacy policy or user agreement")
        verbose_name_plural = _("privacy policies and user agreements")

    def clean(self):
        super().clean()
        others = LegalDocumentPage.objects.filter(kind=self.kind)
        if self.pk:
            others = others.exclude(pk=self.pk)
        if others.exists():
            raise ValidationError({"kind": _("There is already a page for this document: edit that one.")})
        if self.pk:
            previous = LegalDocumentPage.objects.filter(pk=self.pk, live=True).values_list("version", flat=True).first()
            if previous is not None and self.version < previous:
                raise ValidationError({"version": _("The published version is %(version)s: a version never goes "
                                                     "down.") % {"version": previous}})


# ------------------------------------------------------------------------------------------ consent


class Consent(models.Model):
    """Someone agreed to a version of a document: a signed-up user, or the person behind a public form
    (an objection), which is then the `subject`. Kept as proof of consent."""

    class Context(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        RECONSENT = "reconsent", _("New version, at login")
        FORM = "form", _("Public form")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="privacy_consents",
        verbose_name=_("user"),
    )
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("record type"),
    )
    subject_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    revision_id = models.PositiveBigIntegerField(
        _("page revision"), null=True, blank=True, help_text=_("The exact text that was shown."),
    )
    context = models.CharField(_("where"), max_length=10, choices=Context.choices)
    agreed_at = models.DateTimeField(_("agreed at"), default=timezone.now)
    ip = models.GenericIPAddressField(_("network address"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-agreed_at", "-pk"]
        indexes = [models.Index(fields=["user", "kind"]), models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(subject_id__isnull=False),
                name="privacy_consent_has_a_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} {self.agreed_at:%Y-%m-%d}"


# ------------------------------------------------------------------------------ account cancellation


class CancellationRequest(models.Model):
    """A person asked to cancel their account (注销账号). Completed at once when nothing requires keeping the
    data, else when the last open process ends (`run_due_jobs`). Steps: `portal.privacy.workflows`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for open matters to end")
        COMPLETED = "completed", _("Account cancelled")
        WITHDRAWN = "withdrawn", _("Request withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cancellation_requests",
        verbose_name=_("user"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    pseudonym = models.CharField(
        _("pseudonym"), max_length=20, unique=True,
        help_text=_("What the association's records show instead of the person once the account is cancelled."),
    )
    blockers = models.JSONField(_("open matters when requested"), default=list, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account cancellation request")
        verbose_name_plural = _("account cancellation requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(status="pending"),
                                    name="privacy_one_pending_cancellation_per_user"),
        ]

    def __str__(self) -> str:
        return self.pseudonym


# ------------------------------------------------------------------------------------------- settings


@register_setting(icon="time")
class RetentionRules(BaseGenericSetting):
    """How long personal information is kept (`run_due_jobs` anonymises or deletes what is past its period)."""

    objector_contact_days = models.PositiveIntegerField(
        _("objectors' contact details (days after the decision)"), default=365,
        help_text=_("Name, phone, email and network address of a person who filed an objection."),
    )
    rejected_application_contact_days = models.PositiveIntegerField(
        _("contact details on rejected applications (days after the decision)"), default=3 * 365,
        help_text=_("Contact person, phone and email on applications that were rejected or not accepted."),
    )
    unverified_account_days = models.PositiveIntegerField(
        _("accounts whose email was never confirmed (days after sign-up)"), default=30,
    )
    outbound_email_days = models.PositiveIntegerField(
        _("text and recipients of emails sent (days)"), default=180,
    )

    panels = [FieldPanel(f) for f in ("objector_contact_days", "rejected_application_contact_days",
                                      "unverified_account_days", "outbound_email_days")]

    class Meta:
        verbose_name = _("retention periods")

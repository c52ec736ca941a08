"""Mailings to members (会员通讯): a message to a segment, sent through the outbox in batches, with its log.

A mailing is a draft the secretariat writes (rich text, attachments as Wagtail documents), previews
(the recipients as they would be now) and sends (`members.workflows.MAILINGS`). Each recipient is one
row whose status follows its email in the outbox; people who opted out of non-essential mailings are
skipped, while dues and programme notices still reach them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from portal.core.text import SingleLineModelField

from .memberships import MembershipTier


class Mailing(ClusterableModel):
    class Segment(models.TextChoices):
        MEMBERS = "members", _("All member units")
        TIER = "tier", _("Member units of one tier")
        ARREARS = "arrears", _("Member units in arrears")
        APPLICANTS = "applicants", _("Applicants waiting for the council")
        DEMONSTRATION = "demonstration", _("Credit demonstration units")
        EVENT = "event", _("Registrants of an event")
        INDIVIDUALS = "individuals", _("Individual members")

    class Kind(models.TextChoices):
        NEWS = "news", _("News and invitations (members may opt out)")
        DUES = "dues", _("Dues notice (reaches everyone)")
        PROGRAMME = "programme", _("Programme notice (reaches everyone)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    ESSENTIAL = (Kind.DUES, Kind.PROGRAMME)

    subject = SingleLineModelField(_("subject"), max_length=150)
    body = RichTextField(_("message to members"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"])
    kind = models.CharField(_("kind of mailing"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    segment = models.CharField(_("send to"), max_length=15, choices=Segment.choices, default=Segment.MEMBERS)
    tier = models.ForeignKey(MembershipTier, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("tier"), help_text=_("For “member units of one tier”."))
    event = models.ForeignKey("services.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("event"), help_text=_("For “registrants of an event”."))
    batch_size = models.PositiveSmallIntegerField(
        _("emails per batch"), default=100,
        help_text=_("Sent at once, then the same number at each run of the scheduled jobs (the mail server's limit)."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False,
                                   related_name="+", verbose_name=_("written by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                editable=False, related_name="+", verbose_name=_("sent by"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("all queued at"), null=True, blank=True, editable=False)

    panels = [
        FieldPanel("subject"),
        MultiFieldPanel([FieldPanel("segment"), FieldPanel("tier"), FieldPanel("event"), FieldPanel("kind")],
                        heading=_("Recipients")),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("Attachments"), label=_("Attachment")),
        FieldPanel("batch_size"),
    ]

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_essential(self) -> bool:
        return self.kind in self.ESSENTIAL

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.segment == self.Segment.TIER and not self.tier_id:
            raise ValidationError({"tier": _("Choose the tier.")})
        if self.segment == self.Segment.EVENT and not self.event_id:
            raise ValidationError({"event": _("Choose the event.")})


class MailingAttachment(Orderable):
    mailing = ParentalKey(Mailing, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("document"))

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class MailingRecipient(models.Model):
    """One address a mailing goes to, and what became of it (the outbox row once queued)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for its batch")
        QUEUED = "queued", _("Queued")
        OPTED_OUT = "opted_out", _("Opted out: not sent")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients",
                                verbose_name=_("mailing"))
    email = models.EmailField(_("email"))
    name = models.CharField(_("member"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    outbound = models.OneToOneField("core.OutboundEmail", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("email"))
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["mailing", "email"], name="one_row_per_mailing_address")]

    def __str__(self) -> str:
        return self.email


class MailingOptOut(models.Model):
    """An address that receives no non-essential mailing (dues and programme notices still reach it)."""

    email = models.EmailField(_("email"), unique=True)
    created_at = models.DateTimeField(_("opted out at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mailing opt-out")
        verbose_name_plural = _("mailing opt-outs")

    def __str__(self) -> str:
        return self.email

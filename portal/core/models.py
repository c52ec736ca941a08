from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .routing import OneQueryViewRestrictionsMixin, PathRoutingMixin


class HomePage(PathRoutingMixin, OneQueryViewRestrictionsMixin, Page):
    """The site root: the association's introduction and entry points to each area."""

    lead = models.CharField(_("lead"), max_length=255, blank=True)
    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")


class StandardPage(OneQueryViewRestrictionsMixin, Page):
    """A plain content page (about, charter, rights and obligations …)."""

    body = RichTextField(_("body"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class AssociationContact(BaseGenericSetting):
    """The association's contact data shown in the footer (from the magazine's masthead)."""

    name = models.CharField(_("name"), max_length=100, default="浙江省信用协会")
    address = models.CharField(_("address"), max_length=200, default="杭州市环城西路33-2号")
    postcode = models.CharField(_("postcode"), max_length=10, default="310006")
    phone = models.CharField(_("phone"), max_length=50, default="（0571）87056850")
    fax = models.CharField(_("fax"), max_length=50, default="（0571）88152096")
    email = models.EmailField(_("email"), default="zj_xyxh@126.com")
    website = models.CharField(_("website"), max_length=100, default="www.zjxyxh.org")
    seal_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Printed on certificates and receipts; a drawn seal is used when empty."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel(f) for f in ("name", "address", "postcode", "phone", "fax", "email", "website")],
            heading=_("Contact"),
        ),
        FieldPanel("seal_image"),
    ]

    class Meta:
        verbose_name = _("association contact data")


class OutboundEmail(models.Model):
    """An email queued in the same transaction as the change it reports.

    It is sent after commit; a failed send stays `pending` and `run_due_jobs`
    retries it, so no notification is lost when the mail server is down.
    A sender claims the row until `claimed_until` (see portal.core.mail.deliver):
    no other process sends it meanwhile, and if the sender dies mid-send the claim
    expires and the next retry sends it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.subject

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .routing import OneQueryViewRestrictionsMixin, PathRoutingMixin
from .text import SingleLineModelField


class HomePage(PathRoutingMixin, OneQueryViewRestrictionsMixin, Page):
    """The site root: the association's introduction and entry points to each area."""

    lead = SingleLineModelField(_("lead"), max_length=255, blank=True)
    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    # Its content, and the latest issue (the magazine's home panel): see portal.core.cache.
    cache_families = ("site", "magazine")

    class Meta:
        verbose_name = _("home page")


class StandardPage(OneQueryViewRestrictionsMixin, Page):
    """A plain content page (about, charter, rights and obligations …)."""

    body = RichTextField(_("body"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    cache_families = ("site",)

    class Meta:
        verbose_name = _("standard page")


ICP_PATTERN = r"^[\u4e00-\u9fff]ICP备\d{6,12}号(-\d{1,3})?$"
PSB_PATTERN = r"^[\u4e00-\u9fff]公网安备\s?\d{10,16}号$"


@register_setting(icon="site")
class AssociationContact(BaseGenericSetting):
    """The association's contact data shown in the footer (from the magazine's masthead)."""

    name = SingleLineModelField(_("name"), max_length=100, default="浙江省信用协会")
    address = SingleLineModelField(_("address"), max_length=200, default="杭州市环城西路33-2号")
    postcode = SingleLineModelField(_("postcode"), max_length=10, default="310006")
    phone = SingleLineModelField(_("phone"), max_length=50, default="（0571）87056850")
    fax = SingleLineModelField(_("fax"), max_length=50, default="（0571）88152096")
    email = models.EmailField(_("email"), default="zj_xyxh@126.com")
    website = SingleLineModelField(_("website"), max_length=100, default="www.zjxyxh.org")
    # Website filing numbers (网站备案), shown in the footer of every public page when set.
    icp_number = models.CharField(
        _("ICP filing number"), max_length=40, blank=True,
        validators=[RegexValidator(ICP_PATTERN, _("Enter the number as issued, e.g. 浙ICP备12345678号-1."))],
        help_text=_("For example 浙ICP备12345678号-1; links to the ministry's filing lookup."),
    )
    public_security_number = models.CharField(
        _("public security filing number"), max_length=40, blank=True,
        validators=[RegexValidator(PSB_PATTERN, _("Enter the number as issued, e.g. 浙公网安备33010602000001号."))],
        help_text=_("For example 浙公网安备33010602000001号; links to the public security filing lookup."),
    )
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
        MultiFieldPanel([FieldPanel("icp_number"), FieldPanel("public_security_number")],
                        heading=_("website filing numbers")),
        FieldPanel("seal_image"),
    ]

    ICP_LOOKUP = "https://beian.miit.gov.cn/"
    PSB_LOOKUP = "https://beian.mps.gov.cn/"

    class Meta:
        verbose_name = _("association contact data")

    @property
    def public_security_url(self) -> str:
        """The lookup of this record (the code is the number's digits), or the lookup's home page."""
        digits = "".join(ch for ch in self.public_security_number or "" if ch.isdigit())
        return f"{self.PSB_LOOKUP}#/query/webSearch?code={digits}" if digits else self.PSB_LOOKUP


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


class Counter(models.Model):
    """A never-reused sequence (member numbers, receipts, application and objection numbers).

    Only `portal.core.numbering.next_number` touches it, always under a row lock.
    """

    key = models.CharField(_("key"), max_length=60, unique=True)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class FormSubmission(models.Model):
    """A create form that has been taken (see `portal.core.idempotency`): a second post of the same
    form (a double click, a reload, a retry) leads to the first result instead of a second record."""

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("user")
    )
    result_url = models.CharField(_("result page"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return str(self.token)

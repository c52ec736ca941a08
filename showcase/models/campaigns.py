"""Campaigns (a yearly call for applications) and participation bans."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.text import SingleLineModelField

from .dates import add_years
from .standard import Standard

DEFAULT_COMMITMENT = """本单位自愿申报创建浙江省信用协会“信用示范会员单位”，现郑重承诺：
一、严格遵守国家法律、法规和规章，守法经营，诚实守信，自觉维护市场交易规则；
二、所提交的申报表、营业执照及全部证明材料真实、准确、完整、有效，不存在任何虚假记载、误导性陈述或重大遗漏；
三、积极配合第三方信用服务机构的辅导、阶段性评估和评审咨询组的考核验收，如实反映本单位信用管理情况；
四、自觉接受社会监督和协会的动态管理，发生重大失信行为或其他不再符合条件的情形时主动报告；
五、如有弄虚作假或其他欺诈行为，自愿接受责令退出创建活动、取消认定并予以公告、三年内不得参与创建活动的处理，相关失信行为记入省公共信用信息服务平台。"""


# ---------------------------------------------------------------- campaigns


class Campaign(models.Model):
    """A yearly call for applications (2019: deadline end of June), optionally accepting applications all year."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(pgettext_lazy("showcase", "year"), unique=True)
    title = SingleLineModelField(pgettext_lazy("showcase", "title"), max_length=200)
    opens_on = models.DateField(_("open date"))
    deadline = models.DateField(_("application deadline"))
    rolling = models.BooleanField(
        _("rolling applications"), default=False,
        help_text=_("Applications are accepted after the deadline as well, until the campaign is closed."),
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("standard"))
    agency = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="showcase_campaigns",
        verbose_name=_("appointed agency"),
        help_text=_("The third-party credit service agency; its users with the agency role review the applications."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    preliminary_review_days = models.PositiveSmallIntegerField(
        _("preliminary review period (days)"), default=15,
        help_text=_("A submitted application not reviewed within this many days is shown as overdue."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("expert reminder (days before the scoring deadline)"), default=3
    )
    commitment_text = models.TextField(_("credit commitment text"), default=DEFAULT_COMMITMENT)
    introduction = models.TextField(pgettext_lazy("showcase", "introduction"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.opens_on and self.deadline and self.deadline < self.opens_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the open date.")})
        if self.agency_id and self.agency.unit_type != "credit_agency":
            raise ValidationError({"agency": _("The appointed agency must be a credit service agency.")})

    def accepts_applications(self, on_date: datetime.date | None = None) -> bool:
        on_date = on_date or timezone.localdate()
        if self.status != self.Status.OPEN or on_date < self.opens_on:
            return False
        return self.rolling or on_date <= self.deadline

    @classmethod
    def current(cls):
        """The open campaign accepting applications today (latest year first), else None."""
        today = timezone.localdate()
        for campaign in cls.objects.filter(status=cls.Status.OPEN).select_related("standard").order_by("-year"):
            if campaign.accepts_applications(today):
                return campaign
        return None


# ---------------------------------------------------------------- bans


class ParticipationBan(models.Model):
    """A unit barred from the programme after a revocation or exclusion (L1361: three years; `ShowcaseRules.ban_years`)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="showcase_bans", verbose_name=_("organisation")
    )
    starts_on = models.DateField(pgettext_lazy("showcase", "start date"))
    ends_on = models.DateField(pgettext_lazy("showcase", "end date"), help_text=_("The first day the unit may apply again."))
    reason = models.TextField(_("reason"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participation ban")
        verbose_name_plural = _("participation bans")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.starts_on}–{self.ends_on}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end date must be after the start date.")})

    @classmethod
    def end_for(cls, starts_on: datetime.date) -> datetime.date:
        """The first day a unit banned from `starts_on` may apply again (the one place the ban length is read)."""
        from .rules import rules

        return add_years(starts_on, rules().ban_years)


def ban_in_force(organisation, on_date: datetime.date):
    """The participation ban the organisation is under on `on_date` (the one ending last), or None."""
    return ParticipationBan.objects.filter(
        organisation=organisation, starts_on__lte=on_date, ends_on__gt=on_date
    ).filter(models.Q(lifted_on__isnull=True) | models.Q(lifted_on__gt=on_date)).order_by("-ends_on").first()


def is_banned(organisation, on_date: datetime.date) -> bool:
    """True if the organisation is under a participation ban on `on_date`."""
    return ban_in_force(organisation, on_date) is not None

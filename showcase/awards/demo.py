"""Demo titles (after the programme's loader, order 50): one unit in public notice, awarded units (one
expiring soon, one expired), and one revoked unit with its announcement. Idempotent.

The current-year accepted application of the programme's demo goes through `publish_notice`; the past
titles are written directly (their calendar has passed), with a closed notice each.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.accounts.roles import Role
from portal.organisations.models import Organisation
from showcase.models import Application, ApplicationEvent, Campaign, ReviewRound, Standard

from . import domain
from .models import Notice, NoticeEntry, Revocation, Title

UNITS = [
    # key, name, code body (17), established, acceptance offset (days before today), main business
    ("expiring", "杭州上城诚信物业服务有限公司", "91330102MA2W1A2B3", datetime.date(2009, 4, 1), 2 * 365 - 60, "物业管理服务"),
    ("valid", "义乌商贸城信达供应链有限公司", "91330782MA2W4C5D6", datetime.date(2013, 9, 9), 400, "小商品供应链管理"),
    ("revoked", "台州椒江远航船舶配件有限公司", "91331002MA2W7E8F9", datetime.date(2010, 2, 2), 330, "船舶配件制造"),
]


def _code(body: str) -> str:
    from stdnum.cn import uscc

    return body + uscc.calc_check_digit(body)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _pdf(text: str) -> bytes:
    from portal.core import pdf

    return pdf.render_document([pdf.paragraph(text, "title"), pdf.paragraph("演示文件。")], title=text)


def _accepted_application(campaign, org, accepted_on, business, secretariat):
    app = Application.objects.filter(campaign=campaign, organisation=org).first()
    if app:
        return app
    app = Application.objects.create(
        campaign=campaign, organisation=org, created_by=secretariat, status=Application.Status.ACCEPTED,
        number=f"SF{campaign.year}{9000 + org.pk:04d}", submitted_at=_at(accepted_on - datetime.timedelta(days=150)),
        unit_name=org.name, credit_code=org.credit_code, legal_representative=org.legal_representative,
        established_on=org.established_on, registered_address=org.registered_address,
        contact_person=org.contact_person, contact_phone=org.phone, contact_email=org.email,
        is_independent_legal_person=True, main_business=business,
        preliminary_passed_at=_at(accepted_on - datetime.timedelta(days=130)))
    review_round = ReviewRound(application=app, standard=campaign.standard, opened_by=secretariat,
                               opened_at=_at(accepted_on - datetime.timedelta(days=30)), report_name="创建评估报告.pdf",
                               result=ReviewRound.Result.ACCEPTED, decided_on=accepted_on, decided_by=secretariat,
                               status=ReviewRound.Status.DECIDED)
    review_round.report.save("report.pdf", ContentFile(_pdf("创建评估报告")), save=False)
    review_round.save()
    for kind, days in ((ApplicationEvent.Kind.SUBMITTED, 150), (ApplicationEvent.Kind.PRELIMINARY_PASSED, 130),
                       (ApplicationEvent.Kind.REPORT, 30), (ApplicationEvent.Kind.DECIDED, 0)):
        ApplicationEvent.objects.create(application=app, kind=kind, created_at=_at(accepted_on - datetime.timedelta(days=days)))
    return app


def _past_title(app, accepted_on, secretariat) -> Title:
    """A notice that has run its course and the title awarded at its end (written directly)."""
    existing = Title.objects.filter(application=app).first()
    if existing:
        return existing
    starts = _at(accepted_on + datetime.timedelta(days=10))
    ends = starts + datetime.timedelta(days=7)
    notice = Notice.objects.create(title=f"{timezone.localtime(starts).year}年信用示范会员单位公示（{app.unit_name}）",
                                   starts_at=starts, ends_at=ends, published_at=starts, published_by=secretariat,
                                   opened_at=starts, closed_at=ends, status=Notice.Status.CLOSED)
    entry = NoticeEntry.objects.create(notice=notice, application=app, unit_name=app.unit_name,
                                       credit_code=app.credit_code, region_name=app.organisation.region_name,
                                       accepted_on=accepted_on)
    valid_from, valid_until = domain.term_for(accepted_on)
    with transaction.atomic():
        number = domain.certificate_number(timezone.localtime(ends).year)
        return Title.objects.create(application=app, organisation=app.organisation, entry=entry,
                                    certificate_number=number, unit_name=app.unit_name, accepted_on=accepted_on,
                                    valid_from=valid_from, valid_until=valid_until, awarded_at=ends,
                                    plaque_issued_on=(ends + datetime.timedelta(days=14)).date(),
                                    plaque_issued_by=secretariat)


def load(demo):
    today = timezone.localdate()
    secretariat = demo.user("secretariat", name="秘书处 张敏", role=Role.SECRETARIAT)
    standard = Standard.objects.filter(version="2019版").first()
    if standard is None:
        demo.say("awards: no acceptance standard; skipped")
        return

    # 1. a unit in public notice: the programme demo's application accepted this year
    for app in Application.objects.filter(status=Application.Status.ACCEPTED, campaign__year=today.year,
                                          notice_entry__isnull=True).exclude(revocations__isnull=False):
        if domain.acceptance_round(app):
            domain.publish_notice(applications=[app], user=secretariat, starts_at=timezone.now(),
                                  title=f"{today.year}年度信用示范会员单位验收结果公示",
                                  body="以下单位经评审咨询组验收，现予公示。公示期内，任何单位和个人均可对公示单位提出异议。")

    # 2. the programme's 2019 accepted unit: awarded, long expired (no re-review)
    for app in Application.objects.filter(status=Application.Status.ACCEPTED, campaign__year=2019):
        accepted = domain.acceptance_round(app)
        if accepted:
            _past_title(app, accepted.decided_on, secretariat)

    # 3. units of earlier campaigns: one expiring soon, one valid, one revoked
    for key, name, body, established, offset, business in UNITS:
        accepted_on = today - datetime.timedelta(days=offset)
        year = accepted_on.year
        campaign = Campaign.objects.filter(year=year).first() or Campaign.objects.create(
            year=year, title=f"{year}年度创建信用示范会员单位活动", opens_on=datetime.date(year, 1, 1),
            deadline=datetime.date(year, 6, 30), rolling=True, standard=standard, status=Campaign.Status.CLOSED)
        org, _created = Organisation.objects.get_or_create(credit_code=_code(body), defaults={
            "name": name, "established_on": established, "legal_representative": "演示法人",
            "registered_address": "浙江省", "contact_person": "演示联系人", "phone": "0571-80000001",
            "email": f"{key}@demo.zjxyxh.org"})
        app = _accepted_application(campaign, org, accepted_on, business, secretariat)
        _past_title(app, accepted_on, secretariat)
        if key == "revoked" and not Revocation.objects.filter(application=app).exists():
            domain.revoke(application=app, user=secretariat, ground=Revocation.Ground.DISHONESTY,
                          revoked_on=today - datetime.timedelta(days=10),
                          facts="该单位因拖欠货款被列入失信被执行人名单，造成严重不良社会影响。",
                          evidence=ContentFile(_pdf("失信被执行人信息查询结果"), name="失信查询结果.pdf"))
    demo.say("awards: one unit in public notice, titles (valid, expiring soon, expired) and a revoked unit "
             "with its announcement")

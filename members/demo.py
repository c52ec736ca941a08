"""Demo firms: two organisations, each with one firm user (foundation)."""

import datetime

from portal.organisations.demo import demo_firms
from portal.organisations.models import Organisation

EXTRA_ORGANISATIONS = [
    # (name, division, serial, unit type, tier name, years ago joined, dues state)
    ("浙江信达建设集团有限公司", "330102", "MA27XY1A3", "enterprise", "副会长单位", 3, "paid"),
    ("湖州诚诺信用管理研究所", "330502", "MA28RT5B6", "research", "理事单位", 2, "paid"),
    ("温州瓯信征信服务有限公司", "330302", "MA29HT2C8", "credit_agency", "会员单位", 1, "arrears"),
    ("嘉兴禾信科技股份有限公司", "330402", "MA2AKW7D1", "enterprise", "会员单位", 1, "current_unpaid"),
    ("绍兴越信会计师事务所（普通合伙）", "330602", "MA2BLP3E4", "other", "会员单位", 2, "paid"),
]


def _demo_pdf(title: str, lines: list[str]) -> bytes:
    from portal.core import pdf

    story = [pdf.paragraph(title, "title")] + [pdf.paragraph(line) for line in lines]
    return pdf.render_document(story, title=title)


def _demo_png() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 420), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 630, 410), outline=(166, 27, 27), width=6)
    draw.text((40, 40), "BUSINESS LICENCE (demo copy)", fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _apply(organisation, user, tier, *, statement=""):
    """The unit's user drafts and submits an application through the domain, with demo uploads."""
    from django.core.files.base import ContentFile

    from . import domain
    from .models import MembershipApplication

    application = MembershipApplication(
        organisation=organisation, tier=tier, accepts_charter=True,
        statement=statement or f"{organisation.name}长期开展信用管理工作，自愿申请加入浙江省信用协会。",
    )
    letter = _demo_pdf("入会申请书", ["浙江省信用协会：", f"我单位{organisation.name}承认和拥护协会章程，申请成为{tier.name}。",
                                       "（演示材料）"])
    application.application_letter.save("入会申请书.pdf", ContentFile(letter), save=False)
    application.application_letter_name = "入会申请书.pdf"
    application.business_licence.save("营业执照副本.png", ContentFile(_demo_png()), save=False)
    application.business_licence_name = "营业执照副本.png"
    application = domain.save_application_draft(application=application, user=user)
    return domain.submit_application(application=application, user=user)


def publish_charter_and_template(demo):
    """The 章程 page under the home page (the seed's excerpts) and the 入会申请书模板 document; the membership
    rules point the application form at both (idempotent). Returns (page, document)."""
    from django.conf import settings
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from portal.core.models import HomePage, StandardPage

    from .charter import excerpt_from_seed, summary
    from .models import MembershipRules
    from .pdfs import application_template_pdf

    page = StandardPage.objects.filter(slug="charter").first()
    if page is None:
        home = HomePage.objects.first()
        body = excerpt_from_seed(settings.DEMO_ISSUE_PATH) or summary()
        page = StandardPage(title="浙江省信用协会章程（摘录）", slug="charter", body=body,
                            seo_title="浙江省信用协会章程")
        home.add_child(instance=page)
        page.save_revision().publish()
    Document = get_document_model()
    document = Document.objects.filter(title="入会申请书模板").first()
    if document is None:
        document = Document(title="入会申请书模板")
        document.file.save("入会申请书模板.pdf", ContentFile(application_template_pdf()), save=False)
        document.save()
    rules = MembershipRules.load()
    if rules.charter_page_id is None or rules.application_template_id is None:
        rules.charter_page = rules.charter_page or page
        rules.application_template = rules.application_template or document
        rules.save()
    demo.say("members: the charter page (/charter/) and the application letter template are published")
    return page, document


def load_membership_demo(demo) -> None:
    """Members in each tier, dues with some arrears, one pending application (idempotent)."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone
    from stdnum.cn import uscc

    from portal.accounts.roles import Role
    from portal.core.demo import DEMO_DOMAIN, demo_user
    from portal.organisations.models import OrganisationUser

    from . import domain
    from .models import ActivityRecord, Membership, MembershipApplication, MembershipRules, MembershipTier

    today = timezone.localdate()
    publish_charter_and_template(demo)
    demo.user("council", name="理事会 李强", role=Role.COUNCIL)
    rules = MembershipRules.load()
    if not rules.council_size:  # the association's council: 15 members (quorum 10, resolutions need 2/3)
        rules.council_size = 15
        rules.save()
    secretariat = demo.user("secretariat", name="秘书处 张敏", role=Role.SECRETARIAT)
    tiers = {t.name: t for t in MembershipTier.objects.all()}
    firm_a, firm_b = demo_firms(demo)

    plans = [(firm_a, "理事单位", 2, "partial")]
    for name, division, serial, unit_type, tier_name, years_ago, state in EXTRA_ORGANISATIONS:
        body = f"91{division}{serial}"[:17]
        org, _created = Organisation.objects.get_or_create(
            credit_code=body + uscc.calc_check_digit(body),
            defaults={
                "name": name, "unit_type": unit_type, "legal_representative": "王" + name[2], "contact_person": "周敏",
                "established_on": datetime.date(2008 + len(name) % 10, 6, 1), "registered_address": f"{name[:3]}市中心路1号",
                "phone": "0571-87050000", "email": f"contact-{serial.lower()}@example.com",
                "verified_on": datetime.date(2020, 1, 1),
            },
        )
        if not org.user_links.exists():  # each demo member has one account of its own (not listed)
            user = demo_user(f"member-{serial.lower()}@{DEMO_DOMAIN}", name=f"周敏（{name[:4]}）")
            OrganisationUser.objects.get_or_create(user=user, defaults={"organisation": org})
        plans.append((org, tier_name, years_ago, state))

    made = 0
    for org, tier_name, years_ago, state in plans:
        if Membership.objects.filter(organisation=org).exists():
            continue
        # arrears: joined late last dues year and paid nothing, so the reminders are due soon
        joined = today - datetime.timedelta(days=340) if state == "arrears" else datetime.date(today.year - years_ago, 3, 15)
        user = org.user_links.first().user
        with transaction.atomic():
            application = _apply(org, user, tiers[tier_name])
            domain.record_admission_resolution(
                user=secretariat, meeting_date=joined, members_present=12, votes_for=11, votes_against=0,
                votes_abstaining=1, note="理事会会议（演示）",
                decisions=[{"application": application, "decision": "approve", "tier": tiers[tier_name]}],
            )
            membership = Membership.objects.select_for_update().get(application=application)
            domain.ensure_dues_items(membership=membership, today=today)
            for item in membership.dues_items.order_by("year"):
                paid_on = min(max(item.due_on, joined) + datetime.timedelta(days=20), today)
                last = item.year == membership.dues_items.order_by("-year").first().year
                if state == "paid" or (not last and state in ("partial", "current_unpaid")):
                    amount = item.amount
                elif state == "partial" and last:
                    amount = (item.amount / 2).quantize(Decimal("1"))
                else:
                    continue  # arrears: nothing paid; current_unpaid: this year open
                domain.record_payment(dues_item=item, user=secretariat, amount=amount, paid_on=paid_on,
                                      method="bank", reference=f"DEMO-{item.year}-{org.pk}")
        made += 1

    # Members take part in the association's activities (the arrears member has not for a while).
    for org, _tier_name, _years_ago, state in plans:
        if state != "arrears":
            ActivityRecord.objects.get_or_create(
                organisation=org, title=f"{today.year}年度会员大会（演示）",
                defaults={"on": today - datetime.timedelta(days=30), "kind": ActivityRecord.Kind.MEETING,
                          "recorded_by": secretariat},
            )
    # One member asks to change its registered name (waiting for the secretariat's review).
    renaming = next(org for org, _t, _y, state in plans if state == "current_unpaid")
    if not renaming.details_changes.exists():
        from django.core.files.base import ContentFile

        from portal.organisations import details

        details.request_change(
            organisation=renaming, user=renaming.user_links.first().user, new_name="嘉兴禾信数字科技股份有限公司",
            reason="公司更名（演示）", licence=ContentFile(_demo_png(), name="新营业执照.png"), licence_name="新营业执照.png",
        )

    if not MembershipApplication.objects.filter(organisation=firm_b).exists():
        _apply(firm_b, firm_b.user_links.first().user, tiers["会员单位"])
    demo.say(f"members: {Membership.objects.count()} memberships ({made} new), "
             f"{MembershipApplication.objects.filter(status='submitted').count()} application(s) waiting for the council")
    load_collection_demo(demo, secretariat=secretariat, firm_a=firm_a, today=today)


def _statement_xlsx(lines: list[tuple]) -> bytes:
    """A small statement in 中国建设银行's layout: title rows, the header, (date, payer, amount, note) lines."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["中国建设银行单位账户交易明细（演示）"])
    sheet.append(["账号：33050161000000001234", "户名：浙江省信用协会"])
    sheet.append([])
    sheet.append(["交易时间", "借方发生额（支取）", "贷方发生额（收入）", "余额", "对方户名", "对方账号", "摘要", "备注",
                  "账户明细编号-交易流水号"])
    for n, (day, payer, amount, note) in enumerate(lines, 1):
        sheet.append([f"{day:%Y-%m-%d} 10:{n:02d}:00", "", amount, "", payer, f"62270000{n:010d}", "转账存入", note,
                      f"DEMO{day:%Y%m%d}{n:04d}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def load_collection_demo(demo, *, secretariat, firm_a, today) -> None:
    """The dues account (demo values), a bank statement to reconcile, an individual member, a mailing draft."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .domain import individuals, mailings, reconciliation
    from .models import BankProfile, BankStatement, DuesItem, IndividualMember, IndividualTier, Mailing, PaymentAccount

    account = PaymentAccount.load()
    if not account.bank_name:
        account.bank_name = "中国建设银行杭州西湖支行（演示账户）"
        account.account_number = "33050161000000001234"
        account.save()
    if not BankStatement.objects.exists():
        owed = [i for i in DuesItem.objects.exclude(status=DuesItem.Status.PAID).select_related("membership__organisation")
                .order_by("year", "pk") if i.membership.organisation_id != firm_a.pk]
        day = today - datetime.timedelta(days=3)
        lines = [(day, i.membership.organisation.name, f"{i.outstanding:,.2f}", f"会费 {i.payment_reference}")
                 for i in owed[:2]]
        firm_a_item = DuesItem.objects.filter(membership__organisation=firm_a).exclude(status="paid").first()
        if firm_a_item is not None:  # paid by name and amount, without the reference
            lines.append((day, firm_a.name, f"{firm_a_item.outstanding:,.2f}", "补缴会费"))
        lines.append((day, "杭州某培训学员", "800.00", "信用管理培训费"))
        reconciliation.import_statement(profile=BankProfile.objects.get(name="中国建设银行"),
                                        upload=SimpleUploadedFile("建行对账单-演示.xlsx", _statement_xlsx(lines)),
                                        user=secretariat)
    if not IndividualMember.objects.exists():
        individuals.register_individual(member=IndividualMember(
            name="王信", phone="13800000000", email="wangxin@example.com", work_unit="浙江财经大学",
            position="教授", tier=IndividualTier.objects.order_by("order").first(), joined_on=today), user=secretariat)
    if not Mailing.objects.exists():
        mailings.create_mailing(mailing=Mailing(
            subject=f"关于召开{today.year}年度会员大会的通知（演示）",
            body="<p>各会员单位：</p><p>协会定于下月召开年度会员大会，审议年度工作报告和财务报告。请各会员单位安排一名代表出席。</p>"),
            user=secretariat)
    demo.say("members: the dues account (demo values), a bank statement to reconcile, an individual member and a "
             "mailing draft")

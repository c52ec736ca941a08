"""Demo data: the 2019 campaign (closed, decided) and a rolling current-year campaign with applications
at every stage, built through the domain functions where the calendar allows. Idempotent."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.accounts.roles import Role
from portal.organisations.demo import demo_firms
from portal.organisations.models import Organisation, OrganisationUser

from . import domain
from .models import (
    Application,
    ApplicationEvent,
    Campaign,
    EvidenceFile,
    ExpertAssignment,
    PublicCreditRecord,
    Rating,
    ReviewRound,
    ScoreSheet,
    Standard,
    items_of,
)

AGENCY = {"name": "杭州智库信用评估有限公司", "credit_code": "91330106MA27XK1234", "established_on": datetime.date(2015, 4, 1),
          "legal_representative": "章智", "registered_address": "杭州市西湖区教工路18号", "contact_person": "章智",
          "phone": "0571-85550000"}
FIRMS = {
    # key: (name, code body, established, user local part, user name)
    "c": ("杭州西湖数据服务有限公司", "91330106MA2D1E2F3", datetime.date(2011, 8, 8), None, None),
    "d": ("嘉兴南湖电子商务有限公司", "91330402MA2G4H5J6", datetime.date(2017, 9, 1), None, None),
    "e": ("浙江钱塘建设集团有限公司", "91330100MA2K7L8M9", datetime.date(2003, 3, 18), "sf-qiantang", "钱塘建设 周明"),
    "f": ("温州瓯江制造有限公司", "91330302MA2N1P2Q3", datetime.date(2008, 6, 6), "sf-oujiang", "瓯江制造 黄磊"),
    "g": ("绍兴兰亭文化传媒有限公司", "91330602MA2R4T5U6", datetime.date(2014, 11, 11), "sf-lanting", "兰亭文化 王羲"),
    "h": ("湖州太湖食品有限公司", "91330502MA2W7X8Y9", datetime.date(2016, 1, 20), "sf-taihu", "太湖食品 沈湖"),
}
EXPERTS = [("expert", "评审专家 陈海盛"), ("expert2", "评审专家 王丽华（浙江大学）"), ("expert3", "评审专家 周建国（省信用中心）")]


def _code(body: str) -> str:
    from stdnum.cn import uscc

    return body[:17] + uscc.calc_check_digit(body[:17])


def _org(name, body, established, **extra):
    org, _ = Organisation.objects.get_or_create(credit_code=_code(body), defaults={
        "name": name, "established_on": established, "legal_representative": extra.get("legal_representative", "张伟"),
        "registered_address": extra.get("registered_address", "浙江省"), "contact_person": extra.get("contact_person", "李明"),
        "phone": extra.get("phone", "0571-80000000"), "email": f"contact-{body[-4:].lower()}@demo.zjxyxh.org",
        "unit_type": extra.get("unit_type", Organisation.UnitType.ENTERPRISE)})
    return org


def _pdf(title: str) -> bytes:
    from portal.core import pdf

    return pdf.render_document([pdf.paragraph(title, "title"), pdf.paragraph("演示用证明材料（示例文件）。")], title=title)


def _fill(application, main_business):
    application.is_independent_legal_person = True
    application.main_business = main_business
    application.staff_count = 260
    application.revenue_year1, application.revenue_year2, application.revenue_year3 = (
        Decimal("18600"), Decimal("21350.5"), Decimal("24780"))
    application.credit_department = "法务与信用管理部（专职2人、兼职3人）"
    application.summary = ("公司建立了客户信用评估、合同履约跟踪和供应商信用审查制度，设立信用管理岗位，"
                           "每年开展诚信教育培训，并在官网公开信用承诺。")
    application.honours = "浙江省守合同重信用企业（2018年）；市级诚信示范企业（2017年）"
    application.licence_name = "营业执照.pdf"
    application.licence.save("licence.pdf", ContentFile(_pdf("营业执照副本")), save=False)
    application.save()


def _levels(standard):
    return {lv.name: lv for lv in standard.levels.all()}


def load(demo):
    standard = Standard.objects.get(version="2019版")
    agency_org = _org(AGENCY["name"], AGENCY["credit_code"], AGENCY["established_on"],
                      unit_type=Organisation.UnitType.CREDIT_AGENCY, legal_representative=AGENCY["legal_representative"],
                      registered_address=AGENCY["registered_address"], contact_person=AGENCY["contact_person"],
                      phone=AGENCY["phone"])
    agency = demo.user("agency", name="杭州智库信用评估有限公司", role=Role.AGENCY)
    OrganisationUser.objects.get_or_create(user=agency, defaults={"organisation": agency_org})
    secretariat = demo.user("secretariat", name="秘书处 张敏", role=Role.SECRETARIAT)
    experts = [demo.user(local, name=name, role=Role.EXPERT) for local, name in EXPERTS]
    firm_a, firm_b = demo_firms(demo)
    orgs, users = {}, {}
    for key, (name, body, established, local, user_name) in FIRMS.items():
        orgs[key] = _org(name, body, established)
        if local:
            users[key] = demo.user(local, name=user_name, label="示范创建企业 Firm user")
            OrganisationUser.objects.get_or_create(user=users[key], defaults={"organisation": orgs[key]})

    c2019, _ = Campaign.objects.get_or_create(year=2019, defaults={
        "title": "2019年度创建信用示范会员单位活动", "opens_on": datetime.date(2019, 5, 1),
        "deadline": datetime.date(2019, 6, 30), "rolling": False, "standard": standard, "agency": agency_org,
        "status": Campaign.Status.CLOSED,
        "introduction": "有意向申报的单位签订信用承诺书，并于6月底前提交《创建信用示范会员单位申报表》。"})
    today = timezone.localdate()
    current, _ = Campaign.objects.get_or_create(year=today.year, defaults={
        "title": f"{today.year}年度创建信用示范会员单位活动", "opens_on": datetime.date(today.year, 3, 1),
        "deadline": datetime.date(today.year, 6, 30), "rolling": True, "standard": standard, "agency": agency_org,
        "status": Campaign.Status.OPEN,
        "introduction": "本年度实行常年申报：申报截止日后仍可申报，按收到申报的先后开展初审与创建辅导。"})

    with transaction.atomic():
        _load_2019(c2019, standard, firm_a, orgs, agency, secretariat, experts)
    _load_current(current, standard, firm_b, orgs, users, agency, secretariat, experts)
    demo.say("showcase: 2019 campaign (decided) and the current rolling campaign with applications at every stage")


# ---------------------------------------------------------------- 2019: written directly (the calendar has passed)


def _at(day: datetime.date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _load_2019(campaign, standard, firm_a, orgs, agency, secretariat, experts):
    if campaign.applications.exists():
        return
    items = items_of(standard)
    levels = _levels(standard)
    specs = [
        (firm_a, "SF20190001", "accepted", "信用管理软件研发与数据服务"),
        (orgs["c"], "SF20190002", "not_accepted", "数据处理与信息技术服务"),
        (orgs["d"], "SF20190003", "rejected", "电子商务平台运营"),
    ]
    for org, number, outcome, business in specs:
        app = Application.objects.create(
            campaign=campaign, organisation=org, number=number, created_by=agency, status=Application.Status.SUBMITTED,
            submitted_at=_at(datetime.date(2019, 6, 20)), is_member=org == firm_a, unit_name=org.name,
            credit_code=org.credit_code, legal_representative=org.legal_representative,
            established_on=org.established_on, registered_address=org.registered_address,
            contact_person=org.contact_person, contact_phone=org.phone, contact_email=org.email,
            commitment_text=campaign.commitment_text, commitment_signer=org.legal_representative,
            commitment_signer_title="法定代表人", commitment_accepted_at=_at(datetime.date(2019, 6, 18)))
        _fill(app, business)
        ApplicationEvent.objects.create(application=app, kind=ApplicationEvent.Kind.SUBMITTED,
                                        created_at=_at(datetime.date(2019, 6, 20)))
        if outcome == "rejected":
            app.status = Application.Status.REJECTED
            app.rejection_reason = "经核查，该单位成立未满三年，不符合申报条件。"
            app.save()
            ApplicationEvent.objects.create(application=app, kind=ApplicationEvent.Kind.REJECTED,
                                            message=app.rejection_reason, actor=agency,
                                            created_at=_at(datetime.date(2019, 7, 5)))
            continue
        for item in items[:4]:
            EvidenceFile.objects.create(application=app, item=item, original_name=f"{item.code} 证明材料.pdf",
                                        note="演示材料", uploaded_by=agency,
                                        file=ContentFile(_pdf(f"{item.code} {item.title}"), name="evidence.pdf"))
        ApplicationEvent.objects.create(application=app, kind=ApplicationEvent.Kind.PRELIMINARY_PASSED, actor=agency,
                                        created_at=_at(datetime.date(2019, 7, 8)))
        PublicCreditRecord.objects.create(application=app, item=next(i for i in items if i.entered_by_agency),
                                          result="优（综合评分 865）" if outcome == "accepted" else "中（综合评分 702）",
                                          looked_up_on=datetime.date(2019, 10, 15), entered_by=agency)
        review_round = ReviewRound(application=app, standard=standard, opened_by=agency,
                                   opened_at=_at(datetime.date(2019, 10, 20)), report_name="创建评估报告.pdf",
                                   report_summary="对照验收标准逐项评估，形成创建评估报告。",
                                   scoring_deadline=datetime.date(2019, 11, 10))
        review_round.report.save("report.pdf", ContentFile(_pdf("创建评估报告")), save=False)
        review_round.save()
        for n, expert in enumerate(experts):
            assignment = ExpertAssignment.objects.create(round=review_round, expert=expert, assigned_by=secretariat,
                                                         assigned_at=_at(datetime.date(2019, 10, 22)),
                                                         status=ExpertAssignment.Status.ACTIVE,
                                                         declared_at=_at(datetime.date(2019, 10, 23)))
            sheet = ScoreSheet.objects.create(assignment=assignment, status=ScoreSheet.Status.SUBMITTED,
                                              submitted_at=_at(datetime.date(2019, 11, 5)))
            total = Decimal(0)
            for item in items:
                if outcome == "accepted":
                    name = "基本符合" if (item.code in ("1.4", "2.4") and n != 1) else "符合"
                else:
                    name = "不符合" if item.code == "3.2" and n != 2 else ("基本符合" if n == 0 else "符合")
                level = levels[name]
                Rating.objects.create(sheet=sheet, item=item, level=level,
                                      comment="" if name == "符合" else f"{item.title}方面的材料不够完整，建议补充近三年的执行记录。")
                total += item.weight * level.fraction
            sheet.total = total
            sheet.save()
        result = ReviewRound.Result.ACCEPTED if outcome == "accepted" else ReviewRound.Result.NOT_ACCEPTED
        review_round.result, review_round.decided_on, review_round.decided_by = result, datetime.date(2019, 11, 20), secretariat
        review_round.status = ReviewRound.Status.DECIDED
        review_round.save()
        app.status = Application.Status.ACCEPTED if outcome == "accepted" else Application.Status.NOT_ACCEPTED
        app.preliminary_passed_at = _at(datetime.date(2019, 7, 8))
        app.save()
        for kind, day in ((ApplicationEvent.Kind.REPORT, datetime.date(2019, 10, 20)),
                          (ApplicationEvent.Kind.EXPERTS, datetime.date(2019, 10, 22)),
                          (ApplicationEvent.Kind.SCORING_DONE, datetime.date(2019, 11, 5))):
            ApplicationEvent.objects.create(application=app, kind=kind, created_at=_at(day))
        ApplicationEvent.objects.create(application=app, kind=ApplicationEvent.Kind.DECIDED,
                                        message=f"{review_round.get_result_display()}（2019-11-20）", actor=secretariat,
                                        created_at=_at(datetime.date(2019, 11, 20)))


# ---------------------------------------------------------------- current year: through the workflow


def _start(campaign, org, user, business):
    existing = Application.objects.filter(campaign=campaign, organisation=org).first()
    if existing:
        return existing, False
    app = domain.create_application(campaign=campaign, user=user)
    _fill(app, business)
    domain.accept_commitment(application=app, user=user, signer=org.legal_representative, signer_title="法定代表人")
    standard = campaign.standard
    for item in items_of(standard):
        if not item.entered_by_agency:
            domain.add_evidence(application=app, item=item, user=user, note="演示材料",
                                upload=ContentFile(_pdf(f"{item.code} {item.title}"), name=f"{item.code} 证明材料.pdf"))
    domain.submit_application(application=app, user=user)
    return app, True


def _to_acceptance(app, agency):
    domain.pass_preliminary_review(application=app, user=agency, not_credit_agency=True, message="申报条件符合，材料齐全。")
    domain.record_stage_assessment(application=app, user=agency, assessed_on=timezone.localdate(),
                                   advice="建议完善信用管理制度执行记录，补充近三年信用管理经费投入明细。",
                                   findings={items_of(app.campaign.standard)[7].pk: "制度执行记录不完整。"})
    domain.enter_public_credit_record(application=app, user=agency, result="优（综合评分 871）",
                                      looked_up_on=timezone.localdate())
    return domain.submit_evaluation_report(application=app, user=agency, report_name="创建评估报告.pdf",
                                           report=ContentFile(_pdf("创建评估报告"), name="report.pdf"),
                                           summary="企业信用管理体系基本健全，达到创建目标。")


def _score(review_round, expert, standard, weak=()):
    assignment = ExpertAssignment.objects.get(round=review_round, expert=expert)
    if assignment.status == ExpertAssignment.Status.PENDING:
        domain.declare_conflict(assignment=assignment, user=expert, has_conflict=False)
    levels = _levels(standard)
    ratings = {}
    for item in items_of(standard):
        if item.code in weak:
            ratings[item.pk] = (levels["基本符合"].pk, "相关证明材料不够充分，建议补充。")
        else:
            ratings[item.pk] = (levels["符合"].pk, "")
    domain.save_score_sheet(assignment=assignment, user=expert, ratings=ratings, submit=True)


def _load_current(campaign, standard, firm_b, orgs, users, agency, secretariat, experts):
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=10)
    # accepted today: ready for the public notice (issue #7)
    app, new = _start(campaign, orgs["e"], users["e"], "房屋建筑工程施工总承包")
    if new:
        review_round = _to_acceptance(app, agency)
        domain.assign_experts(review_round=review_round, user=secretariat, experts=experts, scoring_deadline=deadline)
        for n, expert in enumerate(experts):
            _score(review_round, expert, standard, weak=("1.4",) if n == 0 else ())
        domain.record_decision(review_round=review_round, user=secretariat, result=ReviewRound.Result.ACCEPTED,
                               decided_on=today)
    # in expert scoring: two of three sheets submitted
    app, new = _start(campaign, orgs["f"], users["f"], "通用机械零部件制造")
    if new:
        review_round = _to_acceptance(app, agency)
        domain.assign_experts(review_round=review_round, user=secretariat, experts=experts, scoring_deadline=deadline)
        _score(review_round, experts[1], standard, weak=("2.4", "1.3"))
        _score(review_round, experts[2], standard)
    # in creation, with a stage assessment
    app, new = _start(campaign, orgs["g"], users["g"], "文化活动策划与广告传媒")
    if new:
        domain.pass_preliminary_review(application=app, user=agency, not_credit_agency=True)
        domain.record_stage_assessment(application=app, user=agency, assessed_on=today,
                                       advice="尚未设立信用管理专门岗位，建议明确职能并制定客户信用评估制度。",
                                       findings={items_of(standard)[5].pk: "未见信用管理部门设置文件。"})
    # awaiting the preliminary review
    _start(campaign, orgs["h"], users["h"], "食品生产与销售")
    # firm-b (demo login): a draft
    if not Application.objects.filter(organisation=firm_b).exists():
        user = OrganisationUser.objects.filter(organisation=firm_b).first().user
        app = domain.create_application(campaign=campaign, user=user)
        app.main_business = "日用品及纺织品进出口贸易"
        app.save(update_fields=["main_business"])

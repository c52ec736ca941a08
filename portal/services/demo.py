"""Demo data: the five providers of the association's service list (seed L1219–L1226), their items
and structured fees, a provider account, a few events and one request. Idempotent."""

import datetime
from decimal import Decimal

from django.utils import timezone

from .fees import FeeKind, FeePeriod, FeeRule, RateUnit
from .models import Event, EventRegistration, Provider, ServiceCategory, ServiceItem, ServiceRequest

MEMBER_DISCOUNT = "在同行收费标准基础上给予会员单位优惠，具体以双方协商为准"

# name, description, contact, phone, fee, [(category code, item name), ...]
SEED_PROVIDERS = [
    {
        "name": "中国经济信息社浙江中心",
        "description": "新华社直属的经济信息服务机构，提供企业数据查询、信用管理、风险监测和信用报告服务。",
        "contact_person": "任女士",
        "phone": "19817176831",
        "fee": {"fee_kind": FeeKind.RANGE, "fee_amount": Decimal("5000"), "fee_amount_max": Decimal("100000"),
                "fee_period": FeePeriod.YEAR},
        "items": [
            ("credit", "精准查询全量企业数据，享受各类入驻服务"),
            ("credit", "全方位企业信用管理，构建企业信用评价体系"),
            ("credit", "多维度风险监测，实时推送信用信息"),
            ("credit", "各种类信用报告及分析报告供您决策参考"),
        ],
    },
    {
        "name": "杭州中奥质量认证有限公司",
        "description": "管理体系认证机构。",
        "contact_person": "金玮",
        "phone": "13868159600",
        "fee": {"fee_kind": FeeKind.RANGE, "fee_amount": Decimal("4500"), "fee_amount_max": Decimal("12000")},
        "items": [("certification", "ISO9001/ISO14001/OHAS18001管理体系认证")],
    },
    {
        "name": "浙江新中天信用评估咨询有限公司",
        "description": "同一服务团队另有浙江新中天会计师事务所有限公司、浙江新中天税务师事务所有限公司，"
        "提供审计、验资、高新技术企业认定审计和企业所得税汇算清缴报告。",
        "contact_person": "任爱苗",
        "phone": "13735538458",
        "fee": {"fee_kind": FeeKind.MINIMUM_RATE, "fee_amount": Decimal("1560"), "fee_rate": Decimal("0.39"),
                "fee_rate_unit": RateUnit.PERMILLE, "fee_base_name": "资产总额", "fee_rule": FeeRule.GREATER},
        "items": [
            ("management", "审计、验资"),
            ("policy", "高新技术企业认定审计"),
            ("tax", "企业所得税汇算清缴报告"),
        ],
    },
    {
        "name": "浙江久丰律师事务所",
        "description": "提供常年法律顾问、专项法律顾问和争议纠纷解决服务。",
        "contact_person": "李辉",
        "phone": "13325819032",
        "fee": {"fee_kind": FeeKind.MINIMUM_RATE, "fee_amount": Decimal("2000"), "fee_rate": Decimal("5"),
                "fee_rate_unit": RateUnit.PERCENT, "fee_base_name": "涉案金额", "fee_rule": FeeRule.GREATER},
        "items": [
            ("legal", "常年法律顾问"),
            ("legal", "专项法律顾问"),
            ("legal", "争议纠纷解决"),
        ],
    },
    {
        "name": "浙江汇信科技有限公司",
        "description": "信用信息化与信用修复服务机构。",
        "contact_person": "云枫",
        "phone": "13757146522",
        "fee": {"fee_kind": FeeKind.NEGOTIABLE},
        "items": [
            ("credit", "提供信用系统平台软件开发服务"),
            ("credit-repair", "提供信用修复培训服务"),
            ("credit-repair", "可为信用修复申请人出具信用报告"),
        ],
    },
]

FEE_DEFAULTS = {
    "fee_amount": None, "fee_amount_max": None, "fee_period": "", "fee_rate": None,
    "fee_rate_unit": RateUnit.PERCENT, "fee_base_name": "", "fee_rule": FeeRule.GREATER,
}


def load_providers() -> list[Provider]:
    """Create or update the seed's providers and items (idempotent: keyed by names)."""
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    providers = []
    for order, spec in enumerate(SEED_PROVIDERS, start=1):
        provider, _ = Provider.objects.update_or_create(
            name=spec["name"],
            defaults={
                "description": spec["description"],
                "contact_person": spec["contact_person"],
                "phone": spec["phone"],
                "member_discount": MEMBER_DISCOUNT,
                "order": order,
            },
        )
        for item_order, (code, name) in enumerate(spec["items"], start=1):
            ServiceItem.objects.update_or_create(
                provider=provider,
                name=name,
                defaults={"category": categories[code], "order": item_order, **FEE_DEFAULTS, **spec["fee"]},
            )
        providers.append(provider)
    return providers


def load_demo(demo) -> None:
    from portal.organisations.demo import demo_firms

    providers = {p.name: p for p in load_providers()}
    xzt = providers["浙江新中天信用评估咨询有限公司"]
    provider_user = demo.user("provider", name="任爱苗（新中天）", label="服务机构 Provider")
    xzt.users.add(provider_user)
    if not xzt.email:
        xzt.email = provider_user.email
        xzt.save(update_fields=["email"])

    now = timezone.localtime()
    today = now.replace(hour=9, minute=0, second=0, microsecond=0)
    events = [
        ("2026年企业信用管理专题培训", Event.Kind.TRAINING, today + datetime.timedelta(days=21), 3, "杭州市环城西路33-2号 协会会议室", 60,
         "解读国家社会信用体系建设政策，讲解企业信用管理制度建设与信用风险防范。会员单位免费参加。"),
        ("信用修复主题沙龙", Event.Kind.SALON, today + datetime.timedelta(days=35), 2, "杭州市西湖区文三路100号", 30,
         "围绕行政处罚信息信用修复的政策与流程交流经验。"),
        ("诚信建设成果交流论坛", Event.Kind.FORUM, today - datetime.timedelta(days=30), 4, "浙江省人民大会堂", 200,
         "会员单位展示诚信建设成果，政府、行业、企业交流。"),
    ]
    created_events = []
    for title, kind, starts, hours, place, capacity, description in events:
        event, _ = Event.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind, "starts_at": starts, "ends_at": starts + datetime.timedelta(hours=hours), "place": place,
                "capacity": capacity, "description": description,
                "registration_deadline": starts - datetime.timedelta(days=2),
            },
        )
        created_events.append(event)

    firms = demo_firms(demo)
    firm_a = firms[0]
    firm_user = firm_a.user_links.select_related("user").first().user
    past_forum = created_events[2]
    registration, _ = EventRegistration.objects.get_or_create(
        event=past_forum, organisation=firm_a, defaults={"registered_by": firm_user, "registered_at": past_forum.registration_deadline}
    )
    if not registration.attended and past_forum.starts_at <= timezone.now():
        registration.attended, registration.attended_at = True, past_forum.ends_at
        registration.save(update_fields=["attended", "attended_at"])

    if not ServiceRequest.objects.filter(organisation=firm_a).exists():
        from .domain import submit_request

        submit_request(
            item=xzt.items.get(name="审计、验资"),
            user=firm_user,
            message="我单位需要2025年度财务报表审计，资产总额约5000万元，请联系报价。",
            contact_name=firm_a.contact_person,
            contact_phone=firm_a.phone,
            preferred_contact=ServiceRequest.ContactMethod.PHONE,
        )
    demo.say(f"services: {len(providers)} providers, {ServiceItem.objects.count()} items, {Event.objects.count()} events")

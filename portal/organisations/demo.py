"""Demo firms: two organisations, each with one firm user (used by every area's demo)."""

import datetime

from .models import Organisation, OrganisationUser

DEMO_FIRMS = [
    {
        "local_part": "firm-a",
        "user_name": "陈诚（示范科技）",
        "name": "浙江诚信示范科技有限公司",
        "credit_code": "91330106MA2B3C4D5D",
        "legal_representative": "陈诚",
        "established_on": datetime.date(2012, 5, 18),
        "registered_address": "杭州市西湖区文三路100号",
        "contact_person": "陈诚",
        "phone": "0571-88886666",
        "website": "https://www.example.com",
    },
    {
        "local_part": "firm-b",
        "user_name": "林信（甬信贸易）",
        "name": "宁波甬信贸易有限公司",
        "credit_code": "91330203MA2C7E8F9X",
        "legal_representative": "林信",
        "established_on": datetime.date(2021, 3, 9),
        "registered_address": "宁波市海曙区中山西路8号",
        "contact_person": "林信",
        "phone": "0574-87776666",
        "website": "",
    },
]


def demo_firms(demo) -> list[Organisation]:
    """Create (idempotently) the two demo firms and their users; return the organisations."""
    from stdnum.cn import uscc

    organisations = []
    for spec in DEMO_FIRMS:
        spec = dict(spec)
        local_part = spec.pop("local_part")
        user_name = spec.pop("user_name")
        code = spec.pop("credit_code")
        code = code[:17] + uscc.calc_check_digit(code[:17])
        user = demo.user(local_part, name=user_name, label="企业用户 Firm user")
        org, _ = Organisation.objects.get_or_create(
            credit_code=code, defaults={**spec, "email": user.email, "verified_on": datetime.date(2020, 1, 1)}
        )
        OrganisationUser.objects.get_or_create(user=user, defaults={"organisation": org})
        organisations.append(org)
    return organisations

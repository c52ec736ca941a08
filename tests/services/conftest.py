import datetime
from decimal import Decimal

import pytest
from django.utils import timezone


@pytest.fixture
def seed_providers(db):
    """The five providers of the seed's service list, with their items and fees."""
    from portal.services.demo import load_providers

    return {p.name: p for p in load_providers()}


@pytest.fixture
def audit_item(seed_providers):
    """审计、验资 of 浙江新中天: 1560 元起，按资产总额的 0.39‰ 计收."""
    return seed_providers["浙江新中天信用评估咨询有限公司"].items.get(name="审计、验资")


@pytest.fixture
def law_item(seed_providers):
    return seed_providers["浙江久丰律师事务所"].items.get(name="争议纠纷解决")


@pytest.fixture
def provider_user(make_user, seed_providers):
    """An account of 浙江新中天 (the audit item's provider)."""
    user = make_user(email="xzt-desk@example.com", name="任爱苗")
    seed_providers["浙江新中天信用评估咨询有限公司"].users.add(user)
    return user


@pytest.fixture
def other_provider_user(make_user, seed_providers):
    """An account of 浙江久丰律师事务所."""
    user = make_user(email="jiufeng-desk@example.com", name="李辉")
    seed_providers["浙江久丰律师事务所"].users.add(user)
    return user


@pytest.fixture
def make_membership(db):
    from members.models import Membership, MembershipTier

    counter = {"n": 0}

    def make(organisation, status=Membership.Status.ACTIVE):
        counter["n"] += 1
        return Membership.objects.create(
            organisation=organisation,
            member_number=f"ZJXY-T{counter['n']:04d}",
            tier=MembershipTier.objects.order_by("order").last(),
            status=status,
            started_on=datetime.date(2019, 1, 1),
        )

    return make


@pytest.fixture
def member_firm_a(firm_a, make_membership):
    make_membership(firm_a)
    return firm_a


@pytest.fixture
def make_event(db):
    from portal.services.models import Event

    def make(*, days_ahead=10, deadline_days_ahead=None, capacity=None, **fields):
        starts = timezone.now() + datetime.timedelta(days=days_ahead)
        deadline = timezone.now() + datetime.timedelta(days=deadline_days_ahead if deadline_days_ahead is not None else days_ahead - 1)
        return Event.objects.create(
            title=fields.pop("title", "企业信用管理培训"),
            kind=fields.pop("kind", Event.Kind.TRAINING),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            place=fields.pop("place", "协会会议室"),
            capacity=capacity,
            registration_deadline=deadline,
            **fields,
        )

    return make


@pytest.fixture
def submitted_request(member_firm_a, firm_a_user, audit_item, django_capture_on_commit_callbacks):
    from portal.services.domain import submit_request

    with django_capture_on_commit_callbacks(execute=True):
        return submit_request(
            item=audit_item,
            user=firm_a_user,
            message="需要年度审计",
            contact_name="陈诚",
            contact_phone="0571-88886666",
            preferred_contact="phone",
        )


D = Decimal

"""Shared fixtures: the site tree, one user per role, two firms with their users.

App-specific fixtures live in tests/<app>/conftest.py.
"""

import datetime
import os

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from stdnum.cn import uscc

from portal.accounts.roles import Role

# Playwright's sync API runs an event loop in the test thread (browser tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-42"


def pytest_collection_modifyitems(config, items):
    """Skip `postgres` tests (real row-lock races) before their fixtures run on other databases.

    Transactional tests use `serialized_rollback=True` so that the rows data migrations
    created (roles, tiers, the 2019 standard …) are back for the tests that follow.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL row locks: run `make test-postgres`")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def make_credit_code(division: str = "330106", serial: str = "MA2B3C4D5") -> str:
    """A valid unified social credit code for the division (check character computed)."""
    body = f"91{division}{serial}"[:17]
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def fragment_cache(settings):
    """Fragment cache and the Site/route memo on, as in production with Redis, starting empty."""
    from django.core.cache import cache

    from portal.core.cache import clear_near_caches

    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 3600
    cache.clear()
    clear_near_caches()
    yield settings
    cache.clear()
    clear_near_caches()


@pytest.fixture
def home_page(db):
    from portal.core.site import ensure_site_tree

    return ensure_site_tree()


@pytest.fixture
def make_user(db, django_user_model):
    counter = {"n": 0}

    def make(*roles: Role, email: str | None = None, name: str = "", verified: bool = True, **extra):
        counter["n"] += 1
        email = email or f"user{counter['n']}-{'-'.join(r.name.lower() for r in roles) or 'firm'}@example.com"
        user = django_user_model.objects.create_user(
            username=email.split("@")[0], email=email, password=PASSWORD, display_name=name or email, **extra
        )
        for role in roles:
            user.groups.add(Group.objects.get(name=str(role)))
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def make_organisation(db):
    from portal.organisations.models import Organisation, OrganisationUser

    counter = {"n": 0}

    def make(*, users=(), division="330106", established_on=None, **fields):
        counter["n"] += 1
        serial = f"MA{counter['n']:07d}"
        org = Organisation.objects.create(
            name=fields.pop("name", f"测试企业{counter['n']}有限公司"),
            credit_code=fields.pop("credit_code", make_credit_code(division, serial)),
            legal_representative=fields.pop("legal_representative", "张三"),
            established_on=established_on or datetime.date(2010, 1, 1),
            registered_address=fields.pop("registered_address", "杭州市西湖区文三路1号"),
            contact_person=fields.pop("contact_person", "李四"),
            phone=fields.pop("phone", "0571-88888888"),
            email=fields.pop("email", f"org{counter['n']}@example.com"),
            verified_on=fields.pop("verified_on", datetime.date(2020, 1, 1)),  # checked by the secretariat
            **fields,
        )
        for user in users:
            OrganisationUser.objects.create(user=user, organisation=org)
        return org

    return make


@pytest.fixture
def firm_a_user(make_user):
    return make_user(email="firm-a@example.com", name="甲公司用户")


@pytest.fixture
def firm_b_user(make_user):
    return make_user(email="firm-b@example.com", name="乙公司用户")


@pytest.fixture
def firm_a(make_organisation, firm_a_user):
    return make_organisation(users=[firm_a_user], name="甲信用科技有限公司")


@pytest.fixture
def firm_b(make_organisation, firm_b_user):
    return make_organisation(users=[firm_b_user], name="乙贸易有限公司", division="330203")


@pytest.fixture
def editor(make_user):
    return make_user(Role.EDITOR, email="editor@example.com")


@pytest.fixture
def chief_editor(make_user):
    return make_user(Role.CHIEF_EDITOR, email="chief@example.com")


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT, email="secretariat@example.com")


@pytest.fixture
def council(make_user):
    return make_user(Role.COUNCIL, email="council@example.com")


@pytest.fixture
def agency(make_user):
    return make_user(Role.AGENCY, email="agency@example.com")


@pytest.fixture
def expert(make_user):
    return make_user(Role.EXPERT, email="expert@example.com")


@pytest.fixture
def client_for(client):
    """Log a user in on the test client: `client_for(user)`."""

    def login(user):
        client.force_login(user)
        return client

    return login

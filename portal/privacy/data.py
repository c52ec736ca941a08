"""What the portal holds about one person: privacy's own sections (the account) and every process's, through
the `personal_data_sections` hook; as a page, a JSON file and a readable HTML file."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .hooks import personal_data_sections
from .models import CancellationRequest, Consent

ACTIVITY_LIMIT = 200


def _when(value):
    return timezone.localtime(value) if isinstance(value, datetime.datetime) and timezone.is_aware(value) else value


def account_sections(user) -> list[dict]:
    """The account itself: login, addresses, roles, second factor, consents, what the person did, requests."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from wagtail.models import ModelLogEntry, PageLogEntry

    yes, no = _("yes"), _("no")
    sections = [{
        "title": _("Account"),
        "items": [{
            _("Login email"): user.email,
            _("Name"): user.display_name or user.get_full_name(),
            _("User name"): user.username,
            _("Signed up"): _when(user.date_joined),
            _("Last login"): _when(user.last_login),
            _("Active"): yes if user.is_active else no,
        }],
    }]
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    sections.append({"title": _("Email addresses"), "items": [
        {_("Email"): a.email, _("Confirmed"): yes if a.verified else no, _("Primary"): yes if a.primary else no}
        for a in addresses
    ]})
    roles = sorted(user.groups.values_list("name", flat=True))
    sections.append({"title": _("Roles"), "items": [{_("Role"): name} for name in roles]})
    sections.append({"title": _("Two-factor authentication"), "items": [
        {_("Type"): a.get_type_display(), _("Set up"): _when(a.created_at)}
        for a in Authenticator.objects.filter(user=user).order_by("created_at")
    ]})
    sections.append({"title": _("Consents"), "items": [
        {_("Document"): c.get_kind_display(), _("Version"): c.version, _("Agreed at"): _when(c.agreed_at),
         _("Where"): c.get_context_display(), _("Network address"): c.ip}
        for c in Consent.objects.filter(user=user).order_by("agreed_at", "pk")
    ]})
    entries = sorted(
        [*ModelLogEntry.objects.filter(user=user).order_by("-timestamp")[:ACTIVITY_LIMIT],
         *PageLogEntry.objects.filter(user=user).order_by("-timestamp")[:ACTIVITY_LIMIT]],
        key=lambda e: e.timestamp, reverse=True,
    )[:ACTIVITY_LIMIT]
    sections.append({"title": _("What you did on the portal (latest %(n)s entries)") % {"n": ACTIVITY_LIMIT},
                     "items": [
        {_("Time"): _when(e.timestamp), _("Action"): str(e.message), _("Record concerned"): e.label,
         _("Network address"): (e.data or {}).get("ip", "")}
        for e in entries
    ]})
    requests = CancellationRequest.objects.filter(user=user).order_by("requested_at")
    if requests:
        sections.append({"title": _("Account cancellation requests"), "items": [
            {_("Status"): r.get_status_display(), _("Requested at"): _when(r.requested_at),
             _("Completed at"): _when(r.completed_at), _("Open matters"): "；".join(r.blockers)}
            for r in requests
        ]})
    return sections


def collect(user) -> list[dict]:
    """Every section, privacy's first (processes register theirs with the `personal_data_sections` hook)."""
    return personal_data_sections(user)


def _plain(value):
    if isinstance(value, datetime.datetime):
        return _when(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def export(user) -> dict:
    """The person's copy: plain JSON types, labels in the current language."""
    return {
        "portal": "浙江省信用协会 Zhejiang Credit Association",
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "account_id": user.pk,
        "sections": [
            {"title": str(s["title"]),
             "items": [{str(k): _plain(v) for k, v in item.items()} for item in s["items"]]}
            for s in collect(user)
        ],
    }


def export_json(user) -> bytes:
    return json.dumps(export(user), ensure_ascii=False, indent=2).encode("utf-8")


def export_html(user) -> bytes:
    """A self-contained page (opened from disk: no links to the site's styles)."""
    data = export(user)
    return render_to_string("privacy/data_export.html", {"data": data, "person": user}).encode("utf-8")


def filename(kind: str) -> str:
    return f"个人信息-{timezone.localdate().isoformat()}.{kind}"

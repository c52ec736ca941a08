from django.shortcuts import render
from wagtail import hooks


def verify_certificate(request, number: str):
    """Public certificate check (member certificates and honour certificates).

    Apps answer through the `register_certificate_verifier` hook: fn(number) returns
    None or a dict with `kind`, `number`, `holder`, `status`, `status_label`,
    `valid_from`, `valid_until` (nothing private); optionally `detail_label`/`detail`, `issued_on`, and
    `history_label`/`history` (a list of {"name", "valid_from", "valid_until"}: the holder's former names).
    """
    result = None
    for fn in hooks.get_hooks("register_certificate_verifier"):
        result = fn(number.strip().upper())
        if result:
            break
    response = render(request, "core/verify.html", {"number": number, "result": result})
    if result is None:
        response.status_code = 404
    return response


def verify_url(number: str) -> str:
    """Absolute address of a certificate's public verify page (printed as a QR code)."""
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("verify_certificate", args=[number])

"""A person's own pages (/account/privacy/): consent to a new version, what we hold, copies, correction,
cancellation. Every page shows and changes only the signed-in person's own data (no id in any URL)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.core.audit import record
from portal.core.workflow_views import run_step

from . import cancellation, data
from .consent import ALL_KINDS, SESSION_KEY, current_documents, documents_for, record_consent
from .forms import CancellationForm, DetailsForm, ReconsentForm
from .hooks import cancellation_blockers
from .models import Consent
from .workflows import CANCELLATION

CORRECTED = "privacy.personal_data.correct"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return default


@login_required
def consent(request):
    """Agree to a new version of the user agreement / privacy policy (sent here after login)."""
    due = [k for k in request.session.get(SESSION_KEY, []) if k in ALL_KINDS]
    documents = documents_for(due, request)
    next_url = _safe_next(request, reverse("account_home"))
    if not documents:
        request.session.pop(SESSION_KEY, None)
        if request.method == "POST":
            return redirect(next_url)
        return render(request, "privacy/consent.html", {"documents": [], "current": documents_for(ALL_KINDS, request),
                                                        "next": next_url})
    form = ReconsentForm(request.POST or None, kinds=[d.kind for d in documents])
    if request.method == "POST" and form.is_valid():
        record_consent(kinds=[d.kind for d in documents], context=Consent.Context.RECONSENT, user=request.user,
                       request=request)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, _("Thank you: your agreement has been recorded."))
        return redirect(next_url)
    return render(request, "privacy/consent.html", {"documents": documents, "form": form, "next": next_url},
                  status=400 if form.errors else 200)


@login_required
def my_data(request):
    """What the portal holds about me, with the downloads and the ways to correct and cancel."""
    sections = data.collect(request.user)
    return render(request, "privacy/my_data.html", {
        "sections": sections, "documents": current_documents(request).values(),
        "agreed": Consent.objects.filter(user=request.user).order_by("-agreed_at", "-pk")[:10],
        "pending": cancellation.pending_request(request.user),
    })


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"personal-data.{name.rsplit('.', 1)[-1]}\"; " \
                                      f"filename*=utf-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def download_json(request):
    return _attachment(data.export_json(request.user), "application/json; charset=utf-8", data.filename("json"))


@login_required
@require_GET
def download_html(request):
    return _attachment(data.export_html(request.user), "text/html; charset=utf-8", data.filename("html"))


@login_required
def details(request):
    """Correct one's name; the email address changes through allauth (with a confirmation)."""
    form = DetailsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
            record(request.user, CORRECTED, request=request, data={"fields": sorted(form.changed_data)})
            messages.success(request, _("Your details have been corrected."))
        return redirect("privacy:my_data")
    return render(request, "privacy/details.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def cancel(request):
    """Cancel the account (注销账号): confirm with the password; open matters make the request wait."""
    from allauth.core import ratelimit

    user = request.user
    pending = cancellation.pending_request(user)
    form = CancellationForm(request.POST or None, user=user)
    if request.method == "POST":
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            form = CancellationForm(None, user=user)
            messages.error(request, _("Too many attempts: please wait a minute and try again."))
        elif form.is_valid():
            result = run_step(request, cancellation.request_cancellation, user=user, request=request)
            if result is not None:
                cancelled, reasons = result
                if not reasons:
                    logout(request)
                    return redirect("privacy:cancelled")
                messages.warning(request, _("Your request is recorded. The account will be cancelled as soon as "
                                            "the matters listed below have ended."))
                return redirect("privacy:cancel")
    blockers = cancellation_blockers(user)
    return render(request, "privacy/cancel.html", {
        "form": form, "pending": pending, "blockers": blockers,
        "can_withdraw": pending is not None and CANCELLATION.allows(user, pending, "withdraw"),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def cancel_withdraw(request):
    pending = cancellation.pending_request(request.user)
    if pending is not None:
        run_step(request, cancellation.withdraw, cancellation=pending, user=request.user, request=request,
                 success=_("Your cancellation request has been withdrawn."))
    return redirect("privacy:my_data")


def document(request, kind):
    """A stable link to the current text of a document: the footer links here, so that rendering it needs no
    query (the page's own URL is looked up on a click)."""
    doc = current_documents(request).get(kind)
    if doc is None:
        raise Http404
    return redirect(doc.url)


def cancelled(request):
    """Shown after the account was cancelled (the person is logged out by then)."""
    return render(request, "privacy/cancelled.html")

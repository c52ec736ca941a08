"""Request bodies are refused by their declared size, before a byte of them is read.

Django caps the non-file part of a body (`DATA_UPLOAD_MAX_MEMORY_SIZE`) but streams uploaded
files to temporary files of any size, and the size checks of our upload fields run only once
the whole body has arrived. So a visitor could make every worker receive 60 MB before being
told "at most 10 MB". This middleware answers 413 from the `Content-Length` header alone:
- anonymous visitors: `PORTAL_MAX_ANONYMOUS_REQUEST_BYTES` (the largest public form is an
  objection with one piece of evidence);
- logged-in users: `PORTAL_MAX_REQUEST_BYTES` (a membership application carries two files).
A body without a length (chunked) is refused with 411: Django would ignore it anyway. The
reverse proxy enforces the larger limit before the request reaches us (README "Security").

It sits after AuthenticationMiddleware (to tell the two limits apart) and before anything
that reads the body (CsrfViewMiddleware reads POST in process_view, after every __call__).
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _refuse(request, status: int) -> HttpResponse:
    body = render_to_string("core/request_refused.html", {
        "status": status, "upload_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
    return HttpResponse(body, status=status)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        declared = meta.get("CONTENT_LENGTH")
        if declared in (None, ""):
            if request.method in BODY_METHODS and meta.get("HTTP_TRANSFER_ENCODING"):
                return _refuse(request, 411)
            return self.get_response(request)
        try:
            length = int(declared)
        except ValueError:
            return _refuse(request, 400)
        if length < 0:
            return _refuse(request, 400)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            limit = settings.PORTAL_MAX_REQUEST_BYTES
        else:
            limit = settings.PORTAL_MAX_ANONYMOUS_REQUEST_BYTES
        if length > limit:
            return _refuse(request, 413)
        return self.get_response(request)

"""Two small middlewares (listed in settings after the auth, message and allauth middlewares).

- `ConsentMiddleware`: a person who must agree to a new version of a document (the session says so since
  their login, see `portal.privacy.consent`) is sent to the consent page first. Logging out, static files,
  the documents themselves, the consent page and the person's privacy pages (their data, the copy, the
  cancellation) stay reachable, so nobody is trapped and nothing loops. Staff too.
- `PersonalDataAccessLogMiddleware`: a staff GET of an admin view that shows one person's details (views
  registered with the `personal_data_views` hook) writes the audit entry `privacy.personal_data.view`.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from portal.core.audit import record

from .consent import SESSION_KEY, current_documents
from .hooks import personal_data_views

VIEWED = "privacy.personal_data.view"
EXPORTED = "privacy.personal_data.export"


class ConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def exempt_prefixes(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = tuple(p for p in (
                reverse("privacy:my_data"),  # consent, data, copies, cancellation
                reverse("account_logout"),
                reverse("set_language"),
                settings.STATIC_URL,
                settings.MEDIA_URL,
            ) if p)
        return self._exempt

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.get(SESSION_KEY):
            if request.user.is_authenticated and not self.exempt(request):
                target = request.get_full_path() if request.method == "GET" else reverse("account_home")
                return redirect(f"{reverse('privacy:consent')}?{urlencode({'next': target})}")
        return self.get_response(request)

    def exempt(self, request) -> bool:
        path = request.path
        if path.startswith(self.exempt_prefixes()):
            return True
        return any(path == doc.url for doc in current_documents(request).values())


class PersonalDataAccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._views = None

    def views(self) -> dict:
        if self._views is None:
            self._views = personal_data_views()
        return self._views

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (request.method == "GET" and response.status_code == 200 and match is not None
                and match.view_name in self.views() and getattr(request.user, "is_authenticated", False)):
            model = self.views()[match.view_name]
            obj = model._default_manager.filter(pk=match.kwargs.get("pk")).first()
            if obj is not None:
                record(obj, VIEWED, request=request, data={"view": match.view_name, "path": request.path[:300]})
        return response

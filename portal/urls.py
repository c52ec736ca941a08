from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.accounts import views as account_views
from portal.core import views as core_views
from portal.core.health import healthz

# Chinese error pages that need neither the database nor the cache; 503 + Retry-After when the
# database is unavailable (portal/core/errors.py). 404 is Django's view with templates/404.html.
handler500 = "portal.core.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("account/privacy/", include("portal.privacy.urls")),
    path("account/", include("portal.accounts.urls")),
    # CSRF-exempt so the language switcher on every page needs no token (and no
    # cookie), which keeps public pages cacheable; switching language is harmless.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("verify/<str:number>/", core_views.verify_certificate, name="verify_certificate"),
    path("members/", include("members.urls")),
    path("services/", include("portal.services.urls")),
    path("showcase/", include("showcase.awards.urls")),
    path("showcase/", include("showcase.urls")),
    path("", include("portal.magazine.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # wagtail.urls mounts Django's plain LoginView here, which has none of allauth's checks
    # (rate limits, verified email, second factor): it only redirects to allauth's login.
    path("_util/login/", account_views.login_elsewhere, name="wagtailcore_login"),
    path("", include(wagtail_urls)),
]

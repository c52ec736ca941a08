from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request) -> str:
    """The request's language: the one chosen with the switcher (its cookie), else Chinese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in _supported() else settings.LANGUAGE_CODE


def _supported() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the visitor chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language; the
    association's site is Chinese by default, so only the language cookie set by
    `set_language` switches it.
    """

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

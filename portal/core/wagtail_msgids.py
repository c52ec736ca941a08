"""Wagtail admin strings that Wagtail 8.0.1's own zh_Hans catalogue leaves untranslated (issue #14).

Listed here only so that `scripts/i18n.py extract core` puts them in our catalogue, whose translation Django
merges in where Wagtail's catalogue has none. Never called; each msgid is copied exactly from Wagtail's templates
(wagtailadmin/home/*.html, wagtailimages/homepage/*, wagtaildocs/homepage/*)."""

from django.utils.translation import gettext_noop, ngettext


def _wagtail_msgids() -> None:  # pragma: no cover - read by xgettext, not run
    gettext_noop("Privacy and access")
    gettext_noop("Wagtail %(current_version)s editor guide")
    ngettext('%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
             '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>', 1)
    ngettext('%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
             '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>', 1)
    ngettext('%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
             '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>', 1)

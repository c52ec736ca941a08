"""Translations that the installed packages' own zh_Hans catalogues lack or word unsuitably for this site.

Django looks a msgid up in every app's catalogue in INSTALLED_APPS order, and ours come first, so a msgid
translated in core's catalogue is used by Wagtail's and allauth's own templates too. They are marked here
(gettext_noop: nothing is translated at import time) so that `scripts/i18n.py extract core` keeps them.
`scripts/i18n.py upstream` (make lint) checks the opposite direction: that none of our msgids changes a word
Django or Wagtail already translates, unless listed there with a reason.
"""

from django.utils.translation import gettext_noop as _

# Wagtail 7's zh_Hans catalogue has no translation for these (new in recent releases): they showed in English
# on the dashboard and in the page explorer.
MISSING_IN_WAGTAIL = [
    _("Search all pages…"),
    _("Date updated"),
    _("Edited by"),
    _("Shortcuts"),
]

# allauth's zh_Hans catalogue leaves the English word "Email" in Chinese text ("请确认您的Email地址").
ALLAUTH_WORDING = [
    _("Please Confirm Your Email Address"),
    _("Email Changed"),
    _("Email Confirmation"),
    _("Email Removed"),
    _("Password Reset Email"),
]

# Django's label suffix: a full-width colon after Chinese labels (Django's zh_Hans keeps ASCII ":").
DJANGO_WORDING = [_(":")]

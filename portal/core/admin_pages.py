"""Rendering our custom Wagtail admin views with the admin's header and breadcrumbs."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def render_admin_page(request, template, title, context, *, section, crumbs=(), icon="pick"):
    """`section` is (url, label) of the area's start page; `crumbs` the (url, label) pairs below it."""
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}]
    items += [{"url": url, "label": label} for url, label in (section, *crumbs)]
    items.append({"url": "", "label": title})
    return render(request, template, {"page_title": title, "header_title": title, "header_icon": icon,
                                      "breadcrumbs_items": items, **context})

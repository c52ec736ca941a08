from django import template
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from portal.core.cache import ALL, cached_fragment

register = template.Library()


class PublicCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on, depends):
        self.nodelist, self.name, self.vary_on, self.depends = nodelist, name, vary_on, depends

    def render(self, context):
        name = self.name.resolve(context)
        vary_on = [v.resolve(context) for v in self.vary_on]
        families = str(self.depends.resolve(context)).split() if self.depends is not None else ALL
        return cached_fragment(context.get("request"), name, vary_on, lambda: self.nodelist.render(context),
                               families=families)


@register.tag
def publiccache(parser, token):
    """``{% publiccache "name" value… depends="magazine site" %}…{% endpubliccache %}``: a fragment of a
    public page that is the same for every visitor, cached until data of one of the families it
    `depends` on changes (default: every family; see portal.core.cache).

    Put only the expensive, visitor-independent part inside; give the context lazily (querysets,
    callables) so that a cache hit runs no query.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("publiccache needs a fragment name")
    depends = None
    if bits[-1].startswith("depends="):
        depends = parser.compile_filter(bits.pop().removeprefix("depends="))
    nodelist = parser.parse(("endpubliccache",))
    parser.delete_first_token()
    return PublicCacheNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]],
                           depends)


MAIN_NAV = [
    ("/", _("Home")),
    ("/magazine/", _("Credit Zhejiang")),
    ("/members/", _("Membership")),
    ("/services/", _("Member services")),
    ("/showcase/", _("Credit demonstration units")),
]


@register.simple_tag(takes_context=True)
def main_nav(context):
    """Main navigation with the current section marked."""
    request = context.get("request")
    path = request.path if request else "/"
    items = []
    for url, label in MAIN_NAV:
        active = path == "/" if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return items


@register.filter
def yuan(value) -> str:
    """Format an amount in yuan: 15000 → "15,000 元" ("15,000 yuan" in English); None → "—"."""
    if value in (None, ""):
        return "—"
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    return gettext("%(amount)s yuan") % {"amount": text}


@register.filter
def local_name(thing) -> str:
    """A record's name in the visitor's language: `name_en` in English when it is filled in, else `name`.

    For data kept in Chinese with an optional English name (membership tiers, magazine columns):
    ``{{ membership.tier|local_name }}``.
    """
    if thing is None:
        return ""
    name = getattr(thing, "name", None) or getattr(thing, "name_zh", "") or ""
    english = getattr(thing, "name_en", "") or ""
    if english and (get_language() or "").startswith("en"):
        return english
    return name


@register.simple_tag(takes_context=True)
def home_panels(context):
    """Blocks other apps put on the home page (`register_home_panel` hook).

    A hook fn(request) returns None or {"template": ..., "order": int, **data};
    each must stay within a fixed, small number of queries.
    """
    from wagtail import hooks

    request = context.get("request")
    panels = [p for fn in hooks.get_hooks("register_home_panel") if (p := fn(request))]
    return sorted(panels, key=lambda p: p.get("order", 100))


@register.simple_tag
def submit_once():
    """The one-time token of a create form (see portal.core.idempotency); put it next to {% csrf_token %}."""
    from django.utils.html import format_html

    from portal.core.idempotency import FIELD, new_token

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


@register.simple_tag(takes_context=True)
def email_greeting_name(context) -> str:
    """Whom an email greets (core/email/greeting.txt): the `recipient` person's own name, else `greeting_name`
    (e.g. the unit's name for an email to all its users), else nobody ("您好！"). Never a username or address."""
    from portal.accounts.display import person_name

    return person_name(context.get("recipient")) or str(context.get("greeting_name") or "").strip()


@register.simple_tag
def association_contact():
    """The association's contact settings (site settings), for emails rendered without a request."""
    from portal.core.models import AssociationContact

    # not load(): it would create the row (and invalidate the public pages) from inside an email
    return AssociationContact.objects.first() or AssociationContact()


@register.simple_tag
def association_name() -> str:
    """The association's name from the site settings; in English its English name while the setting keeps the
    default Chinese name."""
    from portal.core.models import AssociationContact

    name = association_contact().name
    default = AssociationContact._meta.get_field("name").default
    if name == default and (get_language() or "").startswith("en"):
        return gettext("Zhejiang Credit Association")
    return name


@register.filter
def page_links(page_obj):
    """The page numbers a pager shows around the current page: the first and last, two on each side of
    the current one, and `Paginator.ELLIPSIS` for the gaps (`get_elided_page_range`), however many pages
    there are (iterating over every page made a long search or directory slower with its size)."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def subpage_url(context, page, name, *args):
    """URL of a sub-route of a routable page (column and author pages of the archive)."""
    request = context.get("request")
    return page.get_url(request) + page.reverse_subpage(name, args=args)


@register.simple_tag(takes_context=True)
def article_main(context, page):
    """The article's main part, stored once per publication (portal.magazine.rendering)."""
    from portal.magazine.rendering import main_part

    return main_part(page, context.get("request"))

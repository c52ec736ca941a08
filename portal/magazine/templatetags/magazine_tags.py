from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def subpage_url(context, page, name, *args):
    """URL of a sub-route of a routable page (column and author pages of the archive)."""
    request = context.get("request")
    return page.get_url(request) + page.reverse_subpage(name, args=args)

"""Every URL pattern of the project whose view is our own code, keyed by its full name.

Walks `django.urls.get_resolver()` recursively, which includes the Wagtail admin URLs our apps
register (`register_admin_urls`, `register_admin_viewset`). A pattern is ours when its view
function, its `view_class` (class-based views, Wagtail viewset views) or, for callable instances
such as syndication feeds, the instance's class is defined in `portal.`, `members.` or `showcase.`.
Wagtail's, allauth's and Django's own views are out of scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

OUR_PACKAGES = ("portal.", "members.", "showcase.")


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name" (nested namespaces joined with ":")
    pattern: str  # the full route, for messages
    view: str  # dotted path of the view, for messages


def view_of(callback):
    """The object whose module tells where a URL's view is defined."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return view_class
    if hasattr(callback, "__module__") and hasattr(callback, "__qualname__"):
        return callback
    return type(callback)  # a callable instance (e.g. a Feed)


def _walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield entry, prefix + str(entry.pattern), namespaces


def our_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    unnamed = []
    for entry, pattern, namespaces in _walk(get_resolver(), "", ()):
        view = view_of(entry.callback)
        module = getattr(view, "__module__", "") or ""
        if not module.startswith(OUR_PACKAGES):
            continue
        dotted = f"{module}.{getattr(view, '__qualname__', view.__class__.__name__)}"
        if not entry.name:
            unnamed.append(f"{pattern} ({dotted})")
            continue
        key = ":".join((*namespaces, entry.name))
        # The first pattern with a name wins in reverse(); a duplicate key is a second pattern we could not reach.
        if key in routes:
            unnamed.append(f"{pattern} ({dotted}) duplicates {key}")
            continue
        routes[key] = Route(key=key, pattern=pattern, view=dotted)
    if unnamed:
        raise AssertionError("URL patterns of our views without a unique name: " + "; ".join(unnamed))
    return routes

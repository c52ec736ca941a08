"""The article's main part, rendered once per publication and stored (issue #16).

An article page is mostly its main part: breadcrumb, head, authors, body and citation. Rendering
it from the database costs about half of a page view without caches (the "cold" case every
publication used to cause for the whole magazine). Instead it is rendered when first shown after
the article's publication and stored (`RenderedArticle`), per language, with a *stamp* of what
the page view has in hand anyway (the article's own row, the language, the site, the templates and
translations): a stored rendering of another revision, URL or language is never served.

What the article's row cannot tell drops the stored renderings through signals (`connect_signals`):
its issue, a sibling (the previous/next links) or a page the body links to published, unpublished,
moved or deleted; an image, column, author, document or site changed. Previews never read or store
one.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TEMPLATE = "magazine/includes/article_main.html"
_PAGE_LINK = re.compile(r'linktype="page"[^>]*\bid="(\d+)"|\bid="(\d+)"[^>]*linktype="page"')


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """A digest of what renders the main part besides the data (the magazine's templates and code,
    every compiled translation), read once per process: a deployment that changes any of them makes
    every stored rendering stale."""
    here = Path(__file__).resolve().parent
    sources = [
        (Path(settings.BASE_DIR) / "templates" / "magazine", "*.html"),
        (here, "*.py"),
        (here.parent, "*.mo"),  # every app's catalogue
        *((Path(p), "*.mo") for p in settings.LOCALE_PATHS),
    ]
    digest = hashlib.sha256()
    for root, pattern in sources:
        for path in sorted(root.rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stamp(article, request) -> str:
    """What the main part is rendered from, as far as the article's own row tells (no query)."""
    site = getattr(request, "_wagtail_site", None)
    parts = [
        code_stamp(), get_language() or "", article.pk, article.live_revision_id, article.last_published_at,
        article.url_path, article.issue_id, article.column_id, article.author_names,
        (site.pk, site.root_page_id, site.hostname, site.port) if site else None,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def body_dependencies(article) -> str:
    """" page:12 image:5 ": the pages the body's rich text links to and the images it shows."""
    found = set()
    for block in article.body.raw_data:
        value = block.get("value")
        if block.get("type") == "paragraph" and isinstance(value, str):
            found |= {f"page:{a or b}" for a, b in _PAGE_LINK.findall(value)}
        elif block.get("type") == "image" and isinstance(value, dict):
            image = value.get("image")
            image_id = image.get("image") if isinstance(image, dict) else image
            if image_id:
                found.add(f"image:{image_id}")
    return " " + " ".join(sorted(found)) + " " if found else ""


def main_part(article, request) -> str:
    """The stored main part when it matches, else rendered now (and stored, outside previews)."""
    from .models import RenderedArticle

    context = {"page": article, "citation": article.citation, "pdf_url": article.pdf_url}
    if request is None or getattr(request, "is_preview", False):
        return render_to_string(TEMPLATE, context, request=request)
    language, current = get_language() or "", stamp(article, request)
    stored = RenderedArticle.objects.filter(article_id=article.pk, language=language).values_list(
        "stamp", "html").first()
    if stored and stored[0] == current:
        return mark_safe(stored[1])
    html = render_to_string(TEMPLATE, context, request=request)
    # One INSERT … ON CONFLICT DO UPDATE: requests storing it at the same moment do not collide.
    RenderedArticle.objects.bulk_create(
        [RenderedArticle(article_id=article.pk, language=language, stamp=current, html=html,
                         depends_on=body_dependencies(article), rendered_at=timezone.now())],
        update_conflicts=True, unique_fields=["article", "language"],
        update_fields=["stamp", "html", "depends_on", "rendered_at"],
    )
    return html


# -- what the stamp cannot see ---------------------------------------------------------------------


def drop_all(**_signal_kwargs) -> None:
    from .models import RenderedArticle

    RenderedArticle.objects.all().delete()


def drop_linking_to_page(instance=None, parent_page_before=None, **_signal_kwargs) -> None:
    """A page was published, unpublished, moved or deleted: its own, the articles of the issue it
    is, those whose body links to it, and its siblings' (their previous/next links show its title
    and place; after a move, those of the parent it left as well)."""
    from django.db.models import Q

    from .models import RenderedArticle

    if instance is None or not instance.pk:
        return
    children_of = [instance.path[:-instance.steplen]]
    if parent_page_before is not None:
        children_of.append(parent_page_before.path)
    siblings = Q()
    for parent_path in children_of:
        siblings |= Q(article__path__startswith=parent_path, article__depth=len(parent_path) // instance.steplen + 1)
    RenderedArticle.objects.filter(
        Q(depends_on__contains=f" page:{instance.pk} ") | Q(article__issue_id=instance.pk) | Q(article_id=instance.pk)
        | siblings
    ).delete()


def drop_showing_image(instance=None, **_signal_kwargs) -> None:
    from .models import RenderedArticle

    if instance is not None and instance.pk:
        RenderedArticle.objects.filter(depends_on__contains=f" image:{instance.pk} ").delete()


def drop_in_issue_with_document(instance=None, **_signal_kwargs) -> None:
    from .models import RenderedArticle

    if instance is not None and instance.pk:
        RenderedArticle.objects.filter(article__issue__pdf_id=instance.pk).delete()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import Author, Column

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(drop_linking_to_page, dispatch_uid=f"magazine.rendering.{id(signal)}")
    post_delete.connect(drop_linking_to_page, sender=Page, dispatch_uid="magazine.rendering.page_deleted")
    image_model, document_model = get_image_model(), get_document_model()
    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(drop_showing_image, sender=image_model, dispatch_uid=f"magazine.rendering.image_{name}")
        signal.connect(drop_in_issue_with_document, sender=document_model,
                       dispatch_uid=f"magazine.rendering.document_{name}")
        # Rare, and shown on many articles (names, links): start afresh.
        for model in (Author, Column, Site):
            signal.connect(drop_all, sender=model, dispatch_uid=f"magazine.rendering.{model.__name__}_{name}")

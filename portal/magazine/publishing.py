"""An issue goes live with its articles.

Wagtail publishes one page at a time: the chief editor's approval in the review workflow
(the dashboard's 批准 button), the page editor's 发布, a scheduled go-live run by
``publish_scheduled`` and the admin API all publish the issue page alone. The receiver of
``page_published`` here follows every one of them: when an issue page *is live* after a
publish, its articles' drafts are published too, in the same transaction (the workflow's
approval is atomic). When the issue is only scheduled (a future go-live date), Wagtail still
sends the signal but the issue is not live, so its articles wait and go live with it.

Which articles: those never published, and live ones with unpublished changes. An article
taken offline on purpose (published once, now not live) stays offline. An article's own later
go-live date is dropped: articles follow their issue.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.core.audit import current_request, request_user

from .models import ArticlePage, IssuePage
from .search import deferred_indexing

#: Who publishes, when the publication is started by our own code rather than a request.
_publisher: ContextVar = ContextVar("magazine_issue_publisher", default=None)


def draft_articles(issue: IssuePage, *, lock: bool = False):
    """The issue's articles that publishing the issue publishes, in contents order."""
    articles = ArticlePage.objects.child_of(issue).filter(
        Q(live=False, first_published_at__isnull=True) | Q(live=True, has_unpublished_changes=True)
    )
    if lock:
        articles = articles.select_for_update()
    return articles.order_by("path")


def publish_articles(issue: IssuePage, *, user=None) -> list[int]:
    """Publish the draft articles of a live issue at their latest revision; returns their ids."""
    published = []
    now = timezone.now()
    with transaction.atomic(), deferred_indexing():
        for article in draft_articles(issue, lock=True):
            revision = article.latest_revision or article.save_revision(user=user)
            draft = revision.as_object()
            if draft.go_live_at and draft.go_live_at > now:
                draft.go_live_at = None  # it goes live with its issue, now
                revision = draft.save_revision(user=user, log_action=False, clean=False)
            revision.publish(user=user, skip_permission_checks=True)
            published.append(article.pk)
    return published


@contextmanager
def publishing_as(user):
    """Pages published inside the block count as published by ``user`` (for the articles' history)."""
    token = _publisher.set(user)
    try:
        yield
    finally:
        _publisher.reset(token)


def issue_published(sender, instance, revision=None, **kwargs) -> None:
    """``page_published`` receiver for ``IssuePage``: a live issue takes its articles with it."""
    if not instance.live:
        return  # scheduled for later: the articles go live when the issue does
    user = _publisher.get() or request_user(current_request())
    publish_articles(instance, user=user)

"""State changes of the magazine (see docs/CONVENTIONS.md: one function per transition)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, has_role
from portal.core import audit

from .models import ArticlePage, IssuePage
from .publishing import draft_articles, publish_articles, publishing_as

PUBLISH_ISSUE = "magazine.issue.publish_all"


class NothingToPublish(Exception):
    pass


@dataclass
class IssuePublication:
    """What ``publish_issue_with_articles`` did: pages published now, or the issue scheduled."""

    published: list[int] = field(default_factory=list)
    scheduled_for: datetime.datetime | None = None  # the issue's go-live time; its articles follow it
    waiting: int = 0  # articles that go live with the scheduled issue


def publish_issue_with_articles(*, issue: IssuePage, user, request=None) -> IssuePublication:
    """Publish the issue and its draft articles at their latest revisions, all or nothing.

    Chief editors only (and only where they have publish permission on the pages). Publishing
    the issue publishes its articles (``portal.magazine.publishing``); when the issue has a
    future go-live date it is scheduled instead, and its articles go live with it. Pending
    review tasks of these pages are closed by Wagtail on publish. Raises ``NothingToPublish``
    when all are already live and unchanged (a double submit).
    """
    if not has_role(user, Role.CHIEF_EDITOR):
        raise PermissionDenied(_("Only the chief editor may publish an issue."))
    with transaction.atomic():
        issue = IssuePage.objects.select_for_update().get(pk=issue.pk)
        if not issue.permissions_for_user(user).can_publish():
            raise PermissionDenied(_("You may not publish this issue."))
        articles = list(draft_articles(issue, lock=True).values_list("pk", flat=True))
        issue_pending = not issue.live or issue.has_unpublished_changes
        if not issue_pending and not articles:
            raise NothingToPublish(_("The issue and all its articles are already published."))
        result = IssuePublication()
        if issue_pending:
            revision = issue.latest_revision or issue.save_revision(user=user)
            with publishing_as(user):
                revision.publish(user=user)  # its articles follow (publishing.issue_published)
            revision.refresh_from_db()
            if revision.approved_go_live_at:
                result.scheduled_for, result.waiting = revision.approved_go_live_at, len(articles)
            else:
                done = ArticlePage.objects.filter(pk__in=articles, live=True, has_unpublished_changes=False)
                result.published = [issue.pk, *sorted(done.values_list("pk", flat=True), key=articles.index)]
        else:
            result.published = publish_articles(issue, user=user)
        audit.record(
            issue,
            PUBLISH_ISSUE,
            user=user,
            request=request,
            data={
                "pages": result.published,
                "articles": len([pk for pk in result.published if pk != issue.pk]),
                "scheduled_for": result.scheduled_for.isoformat() if result.scheduled_for else None,
            },
        )
    return result

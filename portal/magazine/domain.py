"""State changes of the magazine (see docs/CONVENTIONS.md: one function per transition)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, has_role
from portal.core import audit

from .models import ArticlePage, IssuePage

PUBLISH_ISSUE = "magazine.issue.publish_all"


class NothingToPublish(Exception):
    pass


def publish_issue_with_articles(*, issue: IssuePage, user, request=None) -> list[int]:
    """Publish the issue and each of its articles at their latest revision, all or nothing.

    Chief editors only (and only where they have publish permission on the pages).
    Pending review tasks of these pages are closed by Wagtail on publish. Returns the
    ids of the pages published; raises ``NothingToPublish`` when all are already live
    and unchanged (a double submit).
    """
    if not has_role(user, Role.CHIEF_EDITOR):
        raise PermissionDenied(_("Only the chief editor may publish an issue."))
    with transaction.atomic():
        issue = IssuePage.objects.select_for_update().get(pk=issue.pk)
        if not issue.permissions_for_user(user).can_publish():
            raise PermissionDenied(_("You may not publish this issue."))
        articles = list(ArticlePage.objects.child_of(issue).select_for_update().order_by("path"))
        pending = [p for p in [issue, *articles] if not p.live or p.has_unpublished_changes]
        if not pending:
            raise NothingToPublish(_("The issue and all its articles are already published."))
        published = []
        for page in pending:
            revision = page.latest_revision or page.save_revision(user=user)
            revision.publish(user=user)
            published.append(page.pk)
        audit.record(
            issue,
            PUBLISH_ISSUE,
            user=user,
            request=request,
            data={"pages": published, "articles": len([pk for pk in published if pk != issue.pk])},
        )
    return published

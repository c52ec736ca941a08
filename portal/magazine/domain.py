"""State changes of the magazine (see docs/CONVENTIONS.md: one function per transition)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.roles import Role, has_role
from portal.core import audit
from portal.core.workflow import WorkflowError

from .models import ArticlePage, IssuePage, page_range_problems
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


SET_PAGES = "magazine.issue.pages"


def set_printed_pages(
    *, issue: IssuePage, user, pages: dict[int, tuple[int | None, int | None]], pdf_page_offset: int, request=None
) -> list[int]:
    """Save the printed pages of the issue's articles and its PDF offset as new draft revisions.

    ``pages`` maps article ids (children of the issue) to (start, end). Only pages whose values
    change get a revision; they go live with the next publication of the issue (its review).
    Editors and chief editors with edit permission on the pages. Returns the ids of the pages
    changed.
    """
    if not has_role(user, Role.EDITOR, Role.CHIEF_EDITOR):
        raise PermissionDenied(_("Only the editorial office may enter page numbers."))
    changed = []
    with transaction.atomic():
        issue = IssuePage.objects.select_for_update().get(pk=issue.pk)
        if not issue.permissions_for_user(user).can_edit():
            raise PermissionDenied(_("You may not edit this issue."))
        articles = {a.pk: a for a in ArticlePage.objects.child_of(issue).select_for_update()}
        unknown = set(pages) - set(articles)
        if unknown:
            raise WorkflowError(_("These articles are not in the issue: %(ids)s.") % {"ids": sorted(unknown)})
        for pk, (start, end) in pages.items():
            problems = page_range_problems(start, end)
            if problems:
                raise WorkflowError(problems[0], problems[1:])
            draft = articles[pk].get_latest_revision_as_object()
            if (draft.start_page, draft.end_page) == (start, end):
                continue
            if not articles[pk].permissions_for_user(user).can_edit():
                raise PermissionDenied(_("You may not edit this article."))
            draft.start_page, draft.end_page = start, end
            draft.save_revision(user=user, log_action=True)
            changed.append(pk)
        draft_issue = issue.get_latest_revision_as_object()
        if draft_issue.pdf_page_offset != pdf_page_offset:
            draft_issue.pdf_page_offset = pdf_page_offset
            draft_issue.save_revision(user=user, log_action=True)
            changed.append(issue.pk)
        if changed:
            audit.record(issue, SET_PAGES, user=user, request=request, data={"pages": changed})
    return changed

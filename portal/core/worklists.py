"""Worklists on the admin dashboard: what each person can act on now, where they land (issue #14.10).

Each app adds its panels with Wagtail's `construct_homepage_panels` hook. The rows come from the process tables:
`actionable(WORKFLOW, user, queryset, "action")` keeps the objects on which the table allows `user` that step
now (state, actor, recusal, visibility), so a worklist never offers what the object's page would refuse.

    @hooks.register("construct_homepage_panels")
    def my_panels(request, panels):
        rows = [WorkRow(url, [number, unit, due], overdue=...) for a in actionable(...)]
        panels.append(WorklistPanel("agency-preliminary", _("Awaiting preliminary review"), [_("Number"), …],
                                    rows, empty=_("Nothing to review."), order=90))
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component


def actionable(workflow, user, queryset, *actions: str, limit: int = 50) -> list:
    """Objects of `queryset` on which `user` may take one of `actions` now, per the workflow's table (in the
    queryset's order, at most `limit`). The state filter runs in the database; actor and recusal per object."""
    states = {state for action in actions for state in workflow[action].source}
    found = []
    for obj in queryset.filter(**{f"{workflow.state_field}__in": states}):
        if workflow.visible is not None and not workflow.visible(user, obj):
            continue
        if any(workflow.allows(user, obj, action) for action in actions):
            found.append(obj)
            if len(found) >= limit:
                break
    return found


@dataclass
class WorkRow:
    url: str
    cells: list
    overdue: bool = False


@dataclass
class WorkSection:
    heading: object
    columns: list
    rows: list[WorkRow] = field(default_factory=list)
    empty: object = _("Nothing to do here.")
    more_url: str = ""
    more_label: object = _("See the whole list")


class WorklistPanel(Component):
    """A dashboard panel of one or more worklists (Wagtail's panel markup; the first cell links to the object)."""

    template_name = "core/admin/worklist_panel.html"

    def __init__(self, name: str, heading, sections: list[WorkSection], *, order: int = 50):
        self.name, self.heading, self.sections, self.order = name, heading, sections, order

    @property
    def count(self) -> int:
        return sum(len(s.rows) for s in self.sections)

    def get_context_data(self, parent_context=None):
        return {"panel": self}

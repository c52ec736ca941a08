"""The workflow core: every state change of every process goes through here.

A process declares its table once, as data (state × action → who, guard, target), in the
spirit of Hypha's workflow definitions::

    REQUESTS = Workflow(
        "services.request", ServiceRequest, label=_("service request"),
        transitions=[
            Transition("contact", _("Mark contacted"), source=[SUBMITTED], target=CONTACTED, actors=[handler]),
            Transition("cancel", _("Cancel"), source=[SUBMITTED, CONTACTED], target=CANCELLED,
                       actors=[handler, requesting_firm]),
        ],
        history=write_history_row,
    )

and every step is one call::

    REQUESTS.transition(service_request, "cancel", user=user, request=request, note=note)

`transition` checks, in this order and inside one transaction:
1. that the actor may see the object at all (`Workflow.visible`; otherwise `NotFound`, a 404);
2. that one of the transition's actors permits this user (otherwise `PermissionDenied`), and that the
   user is not recused (a person acting for the unit concerned may not decide about it);
3. locks the row (`select_for_update`) and re-reads its state, so of two concurrent steps exactly one
   wins; the state must be one of the transition's sources (otherwise `WorkflowError`);
4. runs the guard (problems → `WorkflowError` carrying them) and the step's own `change`;
5. sets the target state, saves, writes the process's history row and the audit entry
   (`portal.core.audit.record`, action `"<workflow>.<action>"`), and calls `notify`, whose emails
   are queued in the same transaction and sent after commit (`portal.core.mail`).

Views ask `Workflow.actions_for(user, obj)` for the buttons to show and never repeat a status check.
`portal.core.workflow_views.run_step` turns the errors into messages, 404 and 403.
Each app declares its tables in `<app>/workflows.py` (imported at start-up by `portal.core.apps`).
Every workflow registers itself in `WORKFLOWS`; `scripts/workflows.py` renders the tables into the
README's "Architecture" section (a test keeps it in sync), and the audit actions are registered
with Wagtail's log from the same tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import record

WORKFLOWS: dict[str, Workflow] = {}
# The "state" of an object not yet created: the source of a process's first step (see `Workflow.create`).
NEW = ""


class WorkflowError(ValidationError):
    """A step that cannot happen now: wrong state, a failed guard, bad input. Shown to the user as is.

    `problems` lists further messages (e.g. each unmet eligibility rule), each a string or an
    object with a `message` attribute.
    """

    def __init__(self, message, problems: Iterable = (), code: str | None = None):
        super().__init__(str(message), code=code)
        self.problems = list(problems)

    @property
    def messages_for_user(self) -> list[str]:
        texts = [str(self.message)]
        for problem in self.problems:
            text = str(getattr(problem, "message", problem))
            if text not in texts:  # a single problem is often the message itself
                texts.append(text)
        return texts


class NotFound(Http404):
    """The actor may not see the object at all: answered 404 so that its existence is not confirmed."""


# ------------------------------------------------------------------------------------------- actors


class Actor:
    """Who may take a step. Subclasses answer `permits(user, obj)` and carry a `label` for the tables.

    `acts_for_unit` marks actors who act on behalf of the unit concerned (the firm itself): recusal
    applies to everybody else.
    """

    label: str = ""
    acts_for_unit = False

    def permits(self, user, obj) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def __str__(self) -> str:
        return str(self.label)


class HasRole(Actor):
    """Holders of any of the given roles (`portal.accounts.roles.Role`)."""

    def __init__(self, *roles, label=None):
        self.roles = roles
        # lazy, so that tables read in the language of the moment (the README is rendered in English)
        self.label = label or lazy(lambda: " / ".join(str(r.label) for r in roles), str)()

    def permits(self, user, obj) -> bool:
        from portal.accounts.roles import has_role

        return has_role(user, *self.roles)


class Predicate(Actor):
    """An actor defined by a function `(user, obj) -> bool` (e.g. the campaign's appointed agency)."""

    def __init__(self, test: Callable[[Any, Any], bool], label, *, acts_for_unit: bool = False):
        self.test = test
        self.label = label
        self.acts_for_unit = acts_for_unit

    def permits(self, user, obj) -> bool:
        return bool(self.test(user, obj))


class System(Actor):
    """Scheduled jobs (`run_due_jobs`): the step runs with no user."""

    label = gettext_lazy("scheduled job")

    def permits(self, user, obj) -> bool:
        return user is None


class Anyone(Actor):
    """Members of the public (e.g. someone filing an objection during a public notice)."""

    label = gettext_lazy("anyone")

    def permits(self, user, obj) -> bool:
        return True


SYSTEM = System()
ANYONE = Anyone()


# -------------------------------------------------------------------------------------- transitions


@dataclass(frozen=True)
class Transition:
    """One row of a process's table.

    - `source`: states the step may start from; `target`: the state after it (None: unchanged, for
      steps that change the object's content within a state, e.g. adding evidence).
    - `actors`: who may take it; `guard(obj) -> problems` is checked after the lock (the rules the
      association sets; problems are shown to the user).
    - `history`: whether the step writes the process's history row (in addition to the audit entry).
    - `style`: how a button for it looks ("primary", "secondary", "danger").
    """

    action: str
    label: Any
    source: Sequence[str]
    target: str | None
    actors: Sequence[Actor]
    guard: Callable[[Any], Iterable] | None = None
    history: bool = True
    style: str = "secondary"
    description: Any = ""
    wrong_state_message: Any = ""  # said instead of the generic message when the state does not allow it

    def permits(self, user, obj) -> Actor | None:
        """The first actor that permits `user` on `obj` (None if none does)."""
        return next((actor for actor in self.actors if actor.permits(user, obj)), None)


@dataclass
class Workflow:
    """A process's table of transitions over the `state_field` of `model`.

    - `visible(user, obj) -> bool`: may this user see the object at all (False → `NotFound`). Steps
      by scheduled jobs (user None) skip it.
    - `recused(user, obj) -> bool`: the user is connected to the unit concerned and may not decide
      about it (checked for every actor except those acting for the unit).
    - `history(obj, *, transition, previous, user, note, when)`: writes the process's history row.
    - `lock_related`: `select_related` for the locked row (only forward one-to-one / foreign keys that
      may be locked along with it; use `of=("self",)` semantics: only the row itself is locked).
    """

    name: str
    model: type[models.Model]
    transitions: Sequence[Transition]
    label: Any = ""
    state_field: str = "status"
    visible: Callable[[Any, Any], bool] | None = None
    recused: Callable[[Any, Any], bool] | None = None
    history: Callable[..., Any] | None = None
    lock_related: Sequence[str] = ()
    states: Any = None  # the TextChoices of the state field, for labels in tables
    register: bool = True  # listed in WORKFLOWS (the README tables and audit actions); tests pass False
    _by_action: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self):
        self._by_action = {}
        for t in self.transitions:
            if t.action in self._by_action:
                raise ValueError(f"{self.name}: transition {t.action!r} declared twice")
            self._by_action[t.action] = t
        if self.states is None:
            self.states = getattr(self.model, "Status", None)
        if self.register:
            WORKFLOWS[self.name] = self

    # --------------------------------------------------------------------------- reading the table

    def __getitem__(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError:
            raise KeyError(f"{self.name} has no transition {action!r}") from None

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def state_label(self, state: str | None) -> str:
        if state is None:
            return ""
        if self.states is not None and state in getattr(self.states, "values", ()):
            return str(self.states(state).label)
        return str(state)

    def is_recused(self, user, obj) -> bool:
        return bool(user is not None and self.recused is not None and self.recused(user, obj))

    def allows(self, user, obj, action: str) -> bool:
        """Whether `user` may take `action` on `obj` in its current state (guards are not run)."""
        t = self[action]
        if self.state_of(obj) not in t.source or (NEW in t.source and obj.pk is not None):
            return False
        actor = t.permits(user, obj)
        if actor is None:
            return False
        return actor.acts_for_unit or not self.is_recused(user, obj)

    def actions_for(self, user, obj, *, only: Iterable[str] | None = None) -> list[Transition]:
        """The transitions `user` may take on `obj` now, in table order (for buttons and forms)."""
        wanted = set(only) if only is not None else None
        if user is not None and self.visible is not None and not self.visible(user, obj):
            return []
        return [
            t for t in self.transitions
            if (wanted is None or t.action in wanted) and self.allows(user, obj, t.action)
        ]

    def action_names(self, user, obj) -> set[str]:
        return {t.action for t in self.actions_for(user, obj)}

    # ------------------------------------------------------------------------------ taking a step

    def check_actor(self, user, obj, t: Transition) -> Actor:
        """Visibility, role and recusal, before and after the lock (raises NotFound / PermissionDenied)."""
        if user is not None and self.visible is not None and not self.visible(user, obj):
            raise NotFound(_("Not found."))
        actor = t.permits(user, obj)
        if actor is None:
            raise PermissionDenied(_("You may not do this."))
        if not actor.acts_for_unit and self.is_recused(user, obj):
            raise PermissionDenied(
                _("You act for this unit, so you are recused from decisions about it.")
            )
        return actor

    def lock(self, obj):
        queryset = self.model._default_manager.select_for_update(of=("self",))
        if self.lock_related:
            queryset = queryset.select_related(*self.lock_related)
        return queryset.get(pk=obj.pk)

    def transition(
        self,
        obj,
        action: str,
        *,
        user,
        request=None,
        note: str = "",
        data: dict | None = None,
        change: Callable[[Any], Any] | None = None,
        notify: Callable[[Any], Any] | None = None,
        when=None,
        save: bool = True,
    ):
        """Take one step; returns the locked, updated object. See the module docstring for the order."""
        t = self[action]
        self.check_actor(user, obj, t)
        with transaction.atomic():
            current = self.lock(obj)
            self.check_actor(user, current, t)  # the row as it is now (e.g. a campaign's agency changed)
            previous = self.state_of(current)
            if previous not in t.source:
                raise WorkflowError(
                    t.wrong_state_message
                    or _("This %(what)s is now “%(state)s”: “%(action)s” is not possible.")
                    % {"what": self.label or _("record"), "state": self.state_label(previous), "action": t.label},
                    code="state",
                )
            self._step(t, current, previous, user=user, request=request, note=note, data=data, change=change,
                       notify=notify, when=when, save=save)
        if obj is not current:  # the caller's copy shows the new state too
            setattr(obj, self.state_field, self.state_of(current))
        return current

    def create(
        self,
        obj,
        action: str,
        *,
        user,
        request=None,
        note: str = "",
        data: dict | None = None,
        notify: Callable[[Any], Any] | None = None,
        when=None,
    ):
        """Take a process's first step (source `NEW`): check the actor and guard, save the new object in
        the target state, write history and audit, queue emails. Call inside the transaction that also
        locks whatever the creation depends on (e.g. the campaign)."""
        t = self[action]
        if NEW not in t.source:
            raise ValueError(f"{self.name}.{action} does not start the process")
        self.check_actor(user, obj, t)
        with transaction.atomic():
            self._step(t, obj, NEW, user=user, request=request, note=note, data=data, change=None, notify=notify,
                       when=when, save=True)
        return obj

    def _step(self, t: Transition, current, previous, *, user, request, note, data, change, notify, when, save):
        """Guard, change, target state, save, history, audit, emails: the part every step shares."""
        from django.utils import timezone

        if t.guard is not None:
            problems = list(t.guard(current) or ())
            if len(problems) == 1:  # one reason says it all
                raise WorkflowError(getattr(problems[0], "message", problems[0]), problems, code="guard")
            if problems:
                raise WorkflowError(_("“%(action)s” is not possible yet.") % {"action": t.label}, problems,
                                    code="guard")
        if change is not None:
            change(current)
        if t.target is not None:
            setattr(current, self.state_field, t.target)
        if save:
            current.save()
        when = when or timezone.now()
        if t.history and self.history is not None:
            self.history(current, transition=t, previous=previous, user=user, note=note, when=when)
        payload = {"from": previous, "to": self.state_of(current), **(data or {})}
        if note:
            payload.setdefault("note", note)
        record(current, f"{self.name}.{t.action}", user=user, request=request, data=payload)
        if notify is not None:
            notify(current)

    # ----------------------------------------------------------------------------------- tables

    def rows(self) -> list[dict]:
        """The table as rows of text (for the README and the admin)."""
        return [
            {
                "action": t.action,
                "label": str(t.label),
                "from": [self.state_label(s) if s != NEW else "(new)" for s in t.source],
                "from_codes": list(t.source),
                "to": self.state_label(t.target) if t.target else "",
                "to_code": t.target or "",
                "who": [str(a) for a in t.actors],
                "guard": (t.guard.__doc__ or t.guard.__name__).strip().splitlines()[0] if t.guard else "",
            }
            for t in self.transitions
        ]

    def log_actions(self) -> dict[str, tuple[str, str]]:
        """{audit action: (label, message)} for Wagtail's log registry."""
        return {
            f"{self.name}.{t.action}": (format_lazy("{} – {}", self.label, t.label),) * 2 for t in self.transitions
        }


def register_log_actions(actions) -> None:
    """Register every workflow's actions with Wagtail's audit log (called from core's hooks)."""
    for workflow in WORKFLOWS.values():
        for action, (label, message) in workflow.log_actions().items():
            actions.register_action(action, label, message)

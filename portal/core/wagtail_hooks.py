from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.fields import BaseFieldDisplay, register_display_class
from wagtail.log_actions import LogFormatter

from . import idempotency, workflow
from .audit import REFUSED
from .cache import depends_on, families_of
from .mail import retry_pending


@hooks.register("register_due_jobs", order=990)
def forget_form_tokens(today, dry_run):
    count = idempotency.forget_old(today=today, dry_run=dry_run)
    if count:
        yield f"{'would forget' if dry_run else 'forgot'} {count} old form token(s)"


@hooks.register("register_due_jobs", order=1000)
def retry_emails(today, dry_run):
    count = retry_pending(dry_run=dry_run)
    if count:
        yield f"{'would resend' if dry_run else 'resent'} {count} queued email(s)"


@hooks.register("register_due_jobs", order=1010)
def clear_expired_sessions(today, dry_run):
    """Sessions live in the database (so a cache restart logs nobody out): drop expired ones."""
    if not dry_run:
        from importlib import import_module

        from django.conf import settings

        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return ()


@hooks.register("register_log_actions")
def register_workflow_actions(actions):
    workflow.register_log_actions(actions)


@hooks.register("register_log_actions")
def register_core_actions(actions):
    @actions.register_action(REFUSED)
    class AccessRefused(LogFormatter):
        label = _("Access refused")

        def format_message(self, log_entry):
            target = log_entry.data.get("object") or f"{log_entry.object_verbose_name} {log_entry.label}"
            return _("Access refused to %(object)s (%(path)s)") % {
                "object": target,
                "path": log_entry.data.get("path", ""),
            }


@hooks.register("before_serve_page")
def record_the_pages_families(page, request, serve_args, serve_kwargs):
    """A served page's response depends on its type's families (the page cache records them)."""
    depends_on(request, *families_of(type(page)))


class YesNoDisplay(BaseFieldDisplay):
    """A yes/no field on an admin inspect page reads 是/否, never Python's True/False (as the lists do, #14.8)."""

    def render_html(self, parent_context=None):
        if self.value is None:
            return "—"
        return gettext("Yes") if self.value else gettext("No")


register_display_class(models.BooleanField, display_class=YesNoDisplay)


@hooks.register("insert_global_admin_css")
def portal_admin_css():
    """What every area's admin screens share (templates/includes/admin_pagination.html)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("css/portal-admin.css"))

from wagtail import hooks

from .mail import retry_pending


@hooks.register("register_due_jobs", order=1000)
def retry_emails(today, dry_run):
    count = retry_pending(dry_run=dry_run)
    if count:
        yield f"{'would resend' if dry_run else 'resent'} {count} queued email(s)"

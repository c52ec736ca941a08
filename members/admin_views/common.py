"""Pieces the membership admin views share."""

from django.shortcuts import redirect

from portal.core.workflow_views import run_step


def take_step(request, step, /, **kwargs):
    """Run a domain step for the object on this page and come back to it (errors shown as messages)."""
    run_step(request, step, request=request, user=request.user, **kwargs)
    return redirect(request.get_full_path())

"""Mailings in the admin: the secretariat writes a draft, previews who it goes to, sends it, and reads the log."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core.workflow_views import run_step

from ..domain import mailings
from ..models import Mailing, MailingRecipient
from ..workflows import MAILINGS


class MailingCreateView(generic.CreateView):
    def save_instance(self):
        return mailings.create_mailing(mailing=self.form.save(commit=False), user=self.request.user,
                                       request=self.request)

    def get_success_url(self):
        return self.get_inspect_url() if hasattr(self, "object") and self.object else super().get_success_url()

    def get_inspect_url(self):
        from django.urls import reverse

        return reverse("members_mailings:inspect", args=[self.object.pk])


class MailingEditView(generic.EditView):
    """Only a draft is edited; a mailing sent is kept as sent."""

    def dispatch(self, request, *args, **kwargs):
        mailing = Mailing.objects.filter(pk=kwargs.get("pk")).first()
        if mailing is not None and mailing.status != Mailing.Status.DRAFT:
            messages.info(request, _("This mailing has been sent: it can no longer be changed."))
            return redirect("members_mailings:inspect", mailing.pk)
        return super().dispatch(request, *args, **kwargs)


class MailingInspectView(generic.InspectView):
    template_name = "members/admin/mailing_inspect.html"

    def get_page_subtitle(self):
        return self.object.subject

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mailing = self.object
        context["mailing"] = mailing
        context["may_send"] = MAILINGS.allows(self.request.user, mailing, "send")
        if mailing.status == Mailing.Status.DRAFT:
            rows = mailings.preview(mailing)
            context.update({"preview": rows, "reaching": sum(1 for _r, skipped in rows if not skipped),
                            "sample_text": mailings.rendered(mailing, email="example@example.com")[0]})
        else:
            log = list(mailings.log(mailing))
            counts = {}
            for row in log:
                key = row.outbound.status if row.outbound_id else row.status
                counts[key] = counts.get(key, 0) + 1
            context.update({"log": log, "counts": counts})
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") != "send":
            from django.http import Http404

            raise Http404
        MAILINGS.check_actor(request.user, self.object, MAILINGS["send"])
        mailing = run_step(request, mailings.send_mailing, mailing=self.object, user=request.user, request=request)
        if mailing is not None:
            queued = mailing.recipients.filter(status=MailingRecipient.Status.QUEUED).count()
            messages.success(request, _("The mailing is being sent: %(queued)s email(s) queued now, the rest in "
                                        "batches of %(size)s.") % {"queued": queued, "size": mailing.batch_size})
        return redirect(request.path)


class MailingViewSet(ModelViewSet):
    model = Mailing
    icon = "mail"
    menu_label = gettext_lazy("Mailings")
    add_view_class = MailingCreateView
    edit_view_class = MailingEditView
    inspect_view_class = MailingInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "subject",
        Column("get_segment_display", label=gettext_lazy("Send to")),
        Column("get_kind_display", label=gettext_lazy("Kind of mailing")),
        StatusTagColumn("get_status_display", label=gettext_lazy("Status"), primary=lambda m: m.status == "draft"),
        DateColumn("sent_at", label=gettext_lazy("Sent at")),
    ]
    list_filter = ["status", "segment", "kind"]
    search_fields = ["subject"]
    search_backend_name = None
    ordering = ["-created_at"]

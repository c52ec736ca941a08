"""Bank reconciliation in the admin (对账): upload a statement, confirm the proposals on one screen, resolve the
lines left over; the statements and the banks' column names as data.

Every step is a `members.domain.reconciliation` call; nothing here checks a line's state.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from portal.accounts.roles import Role, has_role
from portal.core.idempotency import ALREADY_SUBMITTED, submit_once
from portal.core.uploads import PrivateFileField, serve_private_file
from portal.core.workflow import WorkflowError
from portal.core.workflow_views import run_step

from ..domain import reconciliation
from ..models import BankProfile, BankStatement, DuesItem, IndividualDuesItem, StatementLine
from ..workflows import BANK_LINES, STATEMENTS

L = StatementLine.Status
REVIEWERS = (Role.COUNCIL, Role.SECRETARIAT)


def _reviewers_only(request):
    if not has_role(request.user, *REVIEWERS):
        raise PermissionDenied


def with_items(lines):
    """Attach each line's proposed dues items (`line.proposed`: [(item, amount)]) in two queries."""
    lines = list(lines)
    units = {a["item"] for line in lines for a in line.allocations if a["kind"] == "unit"}
    people = {a["item"] for line in lines for a in line.allocations if a["kind"] == "person"}
    items = {("unit", i.pk): i for i in DuesItem.objects.filter(pk__in=units).select_related("membership")}
    items.update({("person", i.pk): i for i in IndividualDuesItem.objects.filter(pk__in=people)})
    for line in lines:
        line.proposed = [(items.get((a["kind"], a["item"])), a) for a in line.allocations]
        line.preselected = reconciliation.preselected(line)
    return lines


# ------------------------------------------------------------------------------------------ forms


class UploadForm(forms.Form):
    profile = forms.ModelChoiceField(queryset=BankProfile.objects.all(), label=gettext_lazy("Bank of the statement"),
                                     empty_label=None,
                                     help_text=gettext_lazy("Whose export it is: its column names are used."))
    file = PrivateFileField(label=gettext_lazy("Statement file"), kinds=("xlsx", "csv"),
                            help_text=gettext_lazy("The bank's statement export, .xlsx or .csv (UTF-8 or GB18030), "
                                                   "at most 10 MB. A statement that overlaps the last one is fine: "
                                                   "each bank line is imported once."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = BankProfile.objects.exclude(last_used_at=None).order_by("-last_used_at").first()
        if last is not None:
            self.fields["profile"].initial = last.pk


class AssignForm(forms.Form):
    member_number = forms.CharField(label=gettext_lazy("Member number or credit code"), max_length=30,
                                    help_text=gettext_lazy("The line pays what this member owes, oldest dues year "
                                                           "first."))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class IgnoreForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("What the money is"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=gettext_lazy("E.g. a training fee, or a payment to refund."))


# ------------------------------------------------------------------------------------------ screens


class ReconcileView(WagtailAdminTemplateMixin, TemplateView):
    """One screen: every waiting proposal, the clean ones ticked; the secretariat confirms them at once."""

    template_name = "members/admin/reconcile.html"
    page_title = gettext_lazy("Confirm bank lines")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        _reviewers_only(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(),
                {"url": reverse("members_bank_lines:index"), "label": StatementLine._meta.verbose_name_plural},
                {"url": "", "label": self.page_title}]

    def get_header_buttons(self):
        return [HeaderButton(_("Upload a bank statement"), url=reverse("members_statements:upload"), icon_name="upload")]

    @property
    def header_buttons(self):
        return self.get_header_buttons() if has_role(self.request.user, Role.SECRETARIAT) else []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposed = StatementLine.objects.filter(status=L.PROPOSED).select_related(
            "membership__organisation", "individual", "statement").order_by("booked_on", "pk")
        lines = with_items(proposed)
        lines.sort(key=lambda line: (not line.preselected, line.match != "exact", line.booked_on, line.pk))
        counts = StatementLine.objects.aggregate(unmatched=Count("pk", filter=Q(status=L.UNMATCHED)))
        context.update({
            "lines": lines, "unmatched": counts["unmatched"],
            "may_confirm": has_role(self.request.user, Role.SECRETARIAT),
            "ticked": sum(line.preselected for line in lines),
        })
        return context

    def post(self, request, *args, **kwargs):
        if not has_role(request.user, Role.SECRETARIAT):
            raise PermissionDenied
        ids = [int(i) for i in request.POST.getlist("line") if i.isdigit()]
        lines = StatementLine.objects.filter(pk__in=ids).order_by("booked_on", "pk")
        if not ids:
            messages.warning(request, _("Tick the lines to confirm."))
            return redirect(request.path)
        confirmed, refused = reconciliation.confirm_lines(lines=lines, user=request.user, request=request)
        if confirmed:
            receipts = sum(len(payments) for _line, payments in confirmed)
            messages.success(request, _("%(lines)s bank line(s) confirmed: %(receipts)s receipt(s) issued and the "
                                        "members told.") % {"lines": len(confirmed), "receipts": receipts})
        for line, error in refused:
            messages.error(request, _("Row %(row)s of %(file)s (%(payer)s, %(amount)s yuan): %(error)s")
                           % {"row": line.row_number, "file": line.statement.file_name, "payer": line.payer_name,
                              "amount": line.amount, "error": " ".join(error.messages_for_user)})
        return redirect(request.path)


class UploadStatementView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "members/admin/statement_upload.html"
    page_title = gettext_lazy("Upload a bank statement")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not has_role(request.user, Role.SECRETARIAT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(),
                {"url": reverse("members_statements:index"), "label": BankStatement._meta.verbose_name_plural},
                {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context["profiles"] = BankProfile.objects.all()
        return context

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                outcome = submit_once(
                    request,
                    lambda: reconciliation.import_statement(profile=form.cleaned_data["profile"],
                                                            upload=form.cleaned_data["file"], user=request.user,
                                                            request=request),
                    url_of=lambda result: reverse("members_bank_lines:reconcile"),
                )
            except WorkflowError as exc:  # the file cannot be imported: said on the form, where the file is chosen
                outcome = None
                for text in exc.messages_for_user:
                    form.add_error("file", text)
            if outcome is not None:
                if outcome.duplicate:
                    messages.info(request, ALREADY_SUBMITTED)
                else:
                    result = outcome.result
                    messages.success(request, _(
                        "%(file)s: %(new)s new incoming line(s) imported, %(known)s imported before."
                    ) % {"file": result.statement.file_name, "new": result.new, "known": result.known})
                return redirect(outcome.url)
        return self.render_to_response(self.get_context_data(form=form))


# ------------------------------------------------------------------------------------------ lines


class LineIndexView(generic.IndexView):
    def get_base_queryset(self):
        return StatementLine.objects.select_related("membership__organisation", "individual", "statement")

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(HeaderButton(_("Confirm bank lines"), url=reverse("members_bank_lines:reconcile"),
                                    icon_name="tasks"))
        if has_role(self.request.user, Role.SECRETARIAT):
            buttons.append(HeaderButton(_("Upload a bank statement"), url=reverse("members_statements:upload"),
                                        icon_name="upload"))
        return buttons


class LineInspectView(generic.InspectView):
    template_name = "members/admin/bank_line_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            StatementLine.objects.select_related("membership__organisation", "individual", "statement", "decided_by"),
            pk=self.pk)

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        line = with_items([self.object])[0]
        actions = BANK_LINES.action_names(self.request.user, line)
        forms_ = getattr(self, "invalid_forms", {})
        context.update({
            "line": line, "actions": actions,
            "assign_form": forms_.get("assign") or AssignForm(prefix="assign"),
            "ignore_form": forms_.get("ignore") or IgnoreForm(prefix="ignore"),
            "payments": [*line.payments.select_related("dues_item"), *line.individual_payments.select_related("item")],
        })
        return context

    def post(self, request, *args, **kwargs):
        line, action = self.object, request.POST.get("action", "")
        if action not in ("confirm", "assign", "ignore", "reopen"):
            raise PermissionDenied
        BANK_LINES.check_actor(request.user, line, BANK_LINES[action])
        if action == "confirm":
            payments = run_step(request, reconciliation.confirm_line, line=line, user=request.user, request=request)
            if payments:
                messages.success(request, _("Recorded: %(receipts)s.") % {
                    "receipts": "、".join(p.receipt_number for p in payments)})
        elif action == "assign":
            form = AssignForm(request.POST, prefix="assign")
            if not form.is_valid():
                self.invalid_forms = {"assign": form}
                return self.get(request, *args, **kwargs)
            payments = run_step(request, reconciliation.assign_line, line=line, user=request.user,
                                member_number=form.cleaned_data["member_number"], note=form.cleaned_data["note"],
                                request=request)
            if payments:
                messages.success(request, _("Recorded: %(receipts)s.") % {
                    "receipts": "、".join(p.receipt_number for p in payments)})
        elif action == "ignore":
            form = IgnoreForm(request.POST, prefix="ignore")
            if not form.is_valid():
                self.invalid_forms = {"ignore": form}
                return self.get(request, *args, **kwargs)
            run_step(request, reconciliation.ignore_line, line=line, user=request.user, note=form.cleaned_data["note"],
                     request=request, success=_("The line was set aside as not dues."))
        else:
            run_step(request, reconciliation.reopen_line, line=line, user=request.user, request=request,
                     success=_("The line is back in the list to resolve."))
        return redirect(request.path)


def _payer_label(line):
    payer = line.payer
    if payer is None:
        return "—"
    return f"{payer.member_number} {payer.organisation.name}" if line.membership_id else str(payer)


class StatementLineViewSet(ModelViewSet):
    model = StatementLine
    icon = "list-ul"
    menu_label = gettext_lazy("Bank lines")
    index_view_class = LineIndexView
    inspect_view_class = LineInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["decision_note"]  # never used: lines change only through the domain
    list_display = [
        "payer_name",  # the title column: links to the line
        DateColumn("booked_on", label=gettext_lazy("Booking date")),
        Column("amount", label=gettext_lazy("Amount")),
        Column("note", label=gettext_lazy("Note")),
        Column("payer_label", label=gettext_lazy("Member"), accessor=_payer_label),
        Column("get_match_display", label=gettext_lazy("Match")),
        StatusTagColumn("get_status_display", label=gettext_lazy("Status"),
                        primary=lambda line: line.status in (L.PROPOSED, L.UNMATCHED)),
    ]
    list_filter = ["status", "match", "booked_on"]
    search_fields = ["payer_name", "note", "serial", "payer_account"]
    search_backend_name = None
    ordering = ["-booked_on", "-pk"]
    list_export = ["booked_on", "payer_name", "payer_account", "amount", "note", "serial", "get_status_display",
                   "get_match_display", "flags", "remainder", "decision_note"]
    export_filename = "bank-lines"

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("reconcile/", ReconcileView.as_view(), name="reconcile")]


# ------------------------------------------------------------------------------------------ statements


class StatementIndexView(generic.IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if has_role(self.request.user, Role.SECRETARIAT):
            buttons.append(HeaderButton(_("Upload a bank statement"), url=reverse("members_statements:upload"),
                                        icon_name="upload"))
        return buttons


class StatementInspectView(generic.InspectView):
    template_name = "members/admin/statement_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = self.object
        context.update({"statement": statement,
                        "lines": statement.lines.select_related("membership__organisation", "individual")})
        return context


def statement_file(request, pk):
    """The statement as uploaded (council and secretariat)."""
    _reviewers_only(request)
    statement = get_object_or_404(BankStatement, pk=pk)
    if not STATEMENTS.visible(request.user, statement):
        raise PermissionDenied
    return serve_private_file(statement.file, download_name=statement.file_name)


class BankStatementViewSet(ModelViewSet):
    model = BankStatement
    icon = "doc-full"
    menu_label = gettext_lazy("Bank statements")
    index_view_class = StatementIndexView
    inspect_view_class = StatementInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["file_name"]  # never used: statements are uploaded on the upload screen
    list_display = [
        "file_name",
        Column("profile", label=gettext_lazy("Bank"), accessor="profile"),
        DateColumn("first_date", label=pgettext_lazy("date range", "From")),
        DateColumn("last_date", label=pgettext_lazy("date range", "To")),
        Column("new_lines", label=gettext_lazy("New lines")),
        Column("known_lines", label=gettext_lazy("Imported before")),
        Column("uploaded_by", label=gettext_lazy("Uploaded by"), accessor="uploaded_by"),
        DateColumn("uploaded_at", label=gettext_lazy("Uploaded at")),
    ]
    list_filter = ["profile"]
    ordering = ["-uploaded_at"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(),
                path("upload/", UploadStatementView.as_view(), name="upload"),
                path("<int:pk>/file/", statement_file, name="file")]


class BankProfileViewSet(ModelViewSet):
    model = BankProfile
    icon = "cog"
    menu_label = gettext_lazy("Bank statement formats")
    copy_view_enabled = False
    list_display = ["name", "date_columns", "amount_columns", "payer_name_columns", "note_columns"]
    form_fields = ["name", "date_columns", "payer_name_columns", "payer_account_columns", "amount_columns",
                   "signed_amount", "note_columns", "serial_columns", "order"]


bank_lines = StatementLineViewSet("members_bank_lines")
statements = BankStatementViewSet("members_statements")
bank_profiles = BankProfileViewSet("members_bank_profiles")


class DuesCollectionViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Dues collection")
    menu_icon = "doc-full-inverse"
    menu_order = 255
    items = (bank_lines, statements, bank_profiles)

"""PDFs of the programme: the submitted 申报表 (archived) and the 信用承诺书."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.core import pdf


def _money(value) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _commitment_story(application) -> list:
    from reportlab.platypus import Spacer

    signed = application.commitment_accepted_at
    story = [
        pdf.paragraph(_("Credit commitment"), "title"),
        pdf.paragraph(_("To: Zhejiang Credit Association"), "body"),
        Spacer(1, 6),
        pdf.paragraph(application.commitment_text or application.campaign.commitment_text, "body"),
        Spacer(1, 24),
        pdf.paragraph(_("Unit (seal): %(unit)s") % {"unit": application.unit_name}, "right"),
        pdf.paragraph(
            _("Signed by: %(name)s, %(title)s") % {
                "name": application.commitment_signer or "—", "title": application.commitment_signer_title or "—"},
            "right",
        ),
        pdf.paragraph(
            _("Accepted online at %(time)s") % {
                "time": timezone.localtime(signed).strftime("%Y-%m-%d %H:%M:%S") if signed else "—"},
            "right",
        ),
    ]
    return story


def commitment_pdf(application) -> bytes:
    return pdf.render_document(_commitment_story(application), title=_("Credit commitment"))


def application_form_pdf(application, evidence_counts: dict | None = None) -> bytes:
    """The 《信用示范会员单位申报表》 as submitted, followed by the signed credit commitment."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    a = application
    submitted = timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else "—"
    story = [
        pdf.paragraph(_("Application form for credit demonstration member unit"), "title"),
        pdf.paragraph(
            _("Application number: %(number)s    Campaign: %(campaign)s    Submitted: %(time)s")
            % {"number": a.number or "—", "campaign": a.campaign.title, "time": submitted},
            "small",
        ),
        Spacer(1, 6),
        pdf.paragraph(_("Basic data"), "h2"),
    ]
    facts = [
        (_("Unit name"), a.unit_name),
        (_("Unified social credit code"), a.credit_code),
        (_("Legal representative"), a.legal_representative),
        (_("Establishment date"), a.established_on.isoformat() if a.established_on else "—"),
        (_("Registered address"), a.registered_address),
        (_("Independent legal person"), _("Yes") if a.is_independent_legal_person else _("No")),
        (_("Member of the association"), _("Yes") if a.is_member else _("No")),
        (_("Contact person"), a.contact_person),
        (_("Contact phone"), a.contact_phone),
        (_("Contact email"), a.contact_email),
        (_("Number of staff"), "—" if a.staff_count is None else str(a.staff_count)),
        (_("Credit-management department"), a.credit_department),
    ]
    story.append(pdf.table([[k, v or "—"] for k, v in facts], col_widths=[45 * mm, 125 * mm], header=False))
    story.append(pdf.paragraph(_("Revenue of the last three years (10k yuan)"), "h2"))
    rows = [[pgettext("showcase", "Year"), _("Revenue")]] + [[str(y), _money(v)] for y, v in a.revenue_rows()]
    story.append(pdf.table(rows, col_widths=[45 * mm, 60 * mm]))
    for title, text in (
        (_("Main business"), a.main_business),
        (_("Summary of credit-management work"), a.summary),
        (_("Honours"), a.honours),
    ):
        story += [pdf.paragraph(title, "h2"), pdf.paragraph(text or "—")]
    if evidence_counts is not None:
        story.append(pdf.paragraph(_("Evidence provided per item"), "h2"))
        rows = [[_("Item"), _("Files")]] + [[label, str(n)] for label, n in evidence_counts.items()]
        story.append(pdf.table(rows, col_widths=[140 * mm, 30 * mm]))
    story.append(PageBreak())
    story += _commitment_story(a)
    return pdf.render_document(story, title=_("Application form for credit demonstration member unit"),
                               footer=f"{a.number or ''} {a.unit_name}")

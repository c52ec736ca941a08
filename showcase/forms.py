from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.accounts.roles import Role
from portal.core.text import SingleLineCharField
from portal.core.uploads import PrivateFileField

from .models import Application, ReviewRound

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.ModelForm):
    """The 申报表. Unit name and credit code come from the organisation and are not edited here."""

    licence_upload = PrivateFileField(label=_("Business licence (copy)"), required=False)

    class Meta:
        model = Application
        fields = [
            "legal_representative", "registered_address", "contact_person", "contact_phone", "contact_email",
            "is_independent_legal_person", "main_business", "staff_count", "revenue_year1", "revenue_year2",
            "revenue_year3", "credit_department", "summary", "honours",
        ]
        widgets = {
            "main_business": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "honours": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("revenue_year1", "revenue_year2", "revenue_year3"):
            self.fields[name].widget.attrs.update({"min": "0", "step": "0.01"})
        years = [y for y, _v in self.instance.revenue_rows()]
        for name, year in zip(("revenue_year1", "revenue_year2", "revenue_year3"), years, strict=True):
            self.fields[name].label = _("Revenue %(year)s (10k yuan)") % {"year": year}
        if self.instance.licence:
            self.fields["licence_upload"].help_text = _("Uploaded: %(name)s. Choose a file only to replace it.") % {
                "name": self.instance.licence_name}

    def clean(self):
        data = super().clean()
        for name in ("revenue_year1", "revenue_year2", "revenue_year3", "staff_count"):
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("Cannot be negative."))
        return data


class CommitmentForm(forms.Form):
    signer = SingleLineCharField(label=_("Name of the signer"), max_length=50)
    signer_title = SingleLineCharField(label=_("Title of the signer"), max_length=50,
                                        help_text=_("For example: legal representative, general manager."))
    accept = forms.BooleanField(label=_("I have read the credit commitment and accept it on behalf of the unit."))


class EvidenceForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Standard item"), coerce=int)
    file = PrivateFileField(label=_("File"))
    note = SingleLineCharField(label=_("Note"), max_length=500, required=False,
                               help_text=_("What the file shows, for example “2023 training plan and sign-in sheets”."))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.pk, f"{i.code} {i.title}") for i in items if not i.entered_by_agency]


class PreliminaryReviewForm(forms.Form):
    OUTCOMES = [
        ("pass", _("Pass: conditions met and materials complete")),
        ("return", _("Return for completion")),
        ("reject", _("Reject")),
    ]
    ACTIONS = {"pass": "pass_preliminary", "return": "return", "reject": "reject"}  # outcome → step of the table
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    not_credit_agency = forms.BooleanField(
        label=_("I have checked that the unit is not a credit service agency"), required=False,
        help_text=_("Required to pass: the unit type is the unit's own declaration."))
    text = forms.CharField(
        label=pgettext_lazy("showcase", "Message"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning (list what is missing) or rejecting (the reason)."),
    )

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if outcomes is not None:
            self.fields["outcome"].choices = [(o, label) for o, label in self.OUTCOMES if o in outcomes]

    def clean(self):
        data = super().clean()
        if data.get("outcome") in ("return", "reject") and not (data.get("text") or "").strip():
            self.add_error("text", _("Required for this outcome."))
        if data.get("outcome") == "pass" and not data.get("not_credit_agency"):
            self.add_error("not_credit_agency", _("Required for this outcome."))
        return data


class StageAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessment date"), widget=DATE, initial=timezone.localdate)
    advice = forms.CharField(label=_("Improvement advice"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"finding_{item.pk}"] = forms.CharField(
                label=f"{item.code} {item.title}", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def findings(self):
        return {item.pk: self.cleaned_data.get(f"finding_{item.pk}", "") for item in self.items}

    def finding_fields(self):
        return [self[f"finding_{item.pk}"] for item in self.items]


class PublicCreditForm(forms.Form):
    result = SingleLineCharField(label=_("Public credit score or grade"), max_length=50,
                                 help_text=_("As shown by the Zhejiang government service enterprise credit system."))
    looked_up_on = forms.DateField(label=_("Looked up on"), widget=DATE, initial=timezone.localdate)


class ReportForm(forms.Form):
    report = PrivateFileField(label=_("Creation evaluation report"), kinds=("pdf",))
    summary = forms.CharField(label=_("Summary for the panel"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class AssignExpertsForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts"), queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple, required=False)
    scoring_deadline = forms.DateField(label=_("Scoring deadline"), widget=DATE)

    def __init__(self, *args, review_round=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = get_user_model().objects.filter(groups__name=str(Role.EXPERT), is_active=True).order_by("display_name")
        if review_round is not None:
            excluded = review_round.assignments.exclude(status="removed").values_list("expert_id", flat=True)
            # experts who act for the applying unit are recused (they are not offered)
            qs = qs.exclude(pk__in=excluded).exclude(
                organisation_link__organisation_id=review_round.application.organisation_id)
            if review_round.scoring_deadline:
                self.fields["scoring_deadline"].initial = review_round.scoring_deadline
        self.fields["experts"].queryset = qs.distinct()
        self.fields["experts"].label_from_instance = lambda u: f"{u.display_name or u.email}（{u.email}）"


class DecisionForm(forms.Form):
    """The result is the standard's rule's (`proposed`): the secretariat confirms it and records the date.

    A panel that disagrees with a score reopens that expert's sheet instead.
    """

    result = forms.ChoiceField(label=pgettext_lazy("showcase", "Decision"), choices=ReviewRound.Result.choices,
                               widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE, initial=timezone.localdate,
                                 help_text=_("The acceptance date: the title's validity starts on this day."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, proposed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposed is not None:
            self.fields["result"].choices = [(proposed, ReviewRound.Result(proposed).label)]
            self.fields["result"].initial = proposed


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ConflictForm(forms.Form):
    CHOICES = [("no", _("I have no conflict of interest with this unit")),
               ("yes", _("I have a conflict of interest (I will be unassigned)"))]
    answer = forms.ChoiceField(label=_("Declaration"), choices=CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Describe the conflict"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("answer") == "yes" and not (data.get("note") or "").strip():
            self.add_error("note", _("Describe the conflict of interest briefly."))
        return data


class ScoreSheetForm(forms.Form):
    """One radio group and one comment per item. Validation of completeness is the domain's (on submit)."""

    overall_comment = forms.CharField(label=_("Overall comment"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items=(), levels=(), ratings=None, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        ratings = ratings or {}
        choices = [(lv.pk, f"{lv.name}") for lv in levels]
        for item in self.items:
            current = ratings.get(item.pk)
            self.fields[f"level_{item.pk}"] = forms.TypedChoiceField(
                label=f"{item.code} {item.title}", choices=choices, coerce=int, required=False,
                widget=forms.RadioSelect, initial=current.level_id if current else None, disabled=disabled)
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Comment on %(code)s") % {"code": item.code}, required=False, disabled=disabled,
                initial=current.comment if current else "", widget=forms.Textarea(attrs={"rows": 2}))
        self.fields["overall_comment"].disabled = disabled

    def ratings(self):
        return {item.pk: (self.cleaned_data.get(f"level_{item.pk}") or None,
                          self.cleaned_data.get(f"comment_{item.pk}", "")) for item in self.items}

    def rows(self):
        return [(item, self[f"level_{item.pk}"], self[f"comment_{item.pk}"]) for item in self.items]

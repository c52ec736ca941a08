from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.text import SingleLineCharField
from portal.core.uploads import PrivateFileField
from portal.privacy.forms import ConsentField
from portal.privacy.models import DocumentKind

from .models import Notice, Objection, Revocation


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("Unit concerned"), coerce=int)
    name = SingleLineCharField(label=_("Your name"), max_length=50)
    phone = SingleLineCharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False,
                             help_text=_("Give a phone number or an email address (or both)."))
    relationship = forms.ChoiceField(label=_("Your relationship to the unit"), choices=Objection.Relationship.choices)
    content = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000,
                              help_text=_("Facts and where they can be checked."))
    evidence = PrivateFileField(label=_("Evidence (optional)"), required=False)
    agree = ConsentField(kinds=[DocumentKind.PRIVACY])  # 《隐私政策》, recorded with the objection

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(e.pk, e.unit_name) for e in entries]
        if len(self.fields["entry"].choices) == 1:
            self.fields["entry"].initial = self.fields["entry"].choices[0][0]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in "+-() " for ch in phone):
            raise forms.ValidationError(_("Enter a phone number with digits only (and + - ( ) or spaces)."))
        return phone

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and not self.errors.get("email"):
            raise forms.ValidationError(_("Give a phone number or an email address so that we can contact you."))
        return data


class ConfirmObjectionForm(forms.Form):
    number = SingleLineCharField(label=_("Acknowledgement number"), max_length=20,
                                 widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    code = forms.CharField(label=_("Confirmation code"), max_length=12, help_text=_("The 6 digits in the email."),
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class NoticeForm(forms.Form):
    title = SingleLineCharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                    help_text=_("Asia/Shanghai time."))
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                  help_text=_("Leave empty for the configured notice length; a notice runs at least that long."))
    applications = forms.ModelMultipleChoiceField(label=_("Accepted units"), queryset=None,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["applications"].label_from_instance = lambda a: f"{a.number} {a.unit_name}"
        if not self.is_bound:
            self.fields["starts_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class DecideObjectionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Result of the investigation"), widget=forms.RadioSelect, choices=[
        (Objection.Status.DISMISSED, _("Dismissed: the objection is not substantiated")),
        (Objection.Status.UPHELD, _("Upheld: the unit is not awarded")),
    ])
    reason = forms.CharField(label=_("Findings and reasons"), widget=forms.Textarea(attrs={"rows": 5}))


class PlaqueForm(forms.Form):
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = SingleLineCharField(label=_("Note"), max_length=200, required=False)


class ReReviewForm(forms.Form):
    report = PrivateFileField(label=_("Tracking evaluation report"), kinds=("pdf",))
    summary = forms.CharField(label=_("Summary of the findings"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ReReviewDecisionForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), widget=forms.RadioSelect, choices=[
        ("accepted", _("Passed: renew for two years from the decision date")),
        ("not_accepted", _("Not passed: the title expires at the end of its term")),
    ])
    decided_on = forms.DateField(label=pgettext_lazy("awards", "Decision date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, proposed=None, **kwargs):
        """Only the result the standard's rule gives (`proposed`) is offered (the panel reopens sheets otherwise)."""
        super().__init__(*args, **kwargs)
        if proposed is not None:
            self.fields["result"].choices = [c for c in self.fields["result"].choices if c[0] == proposed]
            self.fields["result"].initial = proposed


class RevocationForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=Revocation.Ground.choices, widget=forms.RadioSelect)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 5}))
    revoked_on = forms.DateField(label=_("Revocation date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    evidence = PrivateFileField(label=pgettext_lazy("awards", "Evidence"), required=False)
    announcement = forms.CharField(
        label=_("Announcement"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
        help_text=_("Leave empty for the standard wording."))
    confirm = forms.BooleanField(label="")

    def __init__(self, *args, **kwargs):
        from showcase.models import rules

        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _("I confirm: the title is cancelled (or the unit excluded) and the unit "
                                         "barred for %(years)s years.") % {"years": rules().ban_years}


class DirectoryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.TypedChoiceField(label=_("Year of acceptance"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Unit name"), required=False, max_length=100)

    def __init__(self, *args, statuses=(), regions=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(statuses)
        self.fields["region"].choices = [("", _("All"))] + list(regions)
        self.fields["year"].choices = [("", _("All"))] + [(y, str(y)) for y in years]


__all__ = ["ObjectionForm", "ConfirmObjectionForm", "NoticeForm", "DecideObjectionForm", "PlaqueForm", "ReReviewForm", "ReReviewDecisionForm",
           "RevocationForm", "DirectoryFilterForm", "Notice"]

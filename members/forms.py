from pathlib import PurePath

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from portal.core.uploads import PrivateFileField
from portal.organisations.models import Organisation, OrganisationUser
from portal.organisations.regions import region_for_code

from .models import (
    DuesItem,
    MembershipApplication,
    MembershipTier,
    Payment,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganisationForm(forms.ModelForm):
    """A firm user's own organisation. The credit code is fixed once registered."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name", "credit_code", "unit_type", "legal_representative", "established_on", "registered_address",
            "contact_person", "phone", "email", "website",
        ]
        widgets = {"established_on": DateInput()}
        error_messages = {
            "credit_code": {"unique": _("A unit is already registered with this credit code. If you act for it, ask "
                                        "to join it: its administrator decides.")},
        }
        help_texts = {
            "credit_code": _("18 characters, as printed on the business licence; the region is derived from it."),
        }

    licence = PrivateFileField(
        label=_("Business licence"), required=True,
        help_text=_("A scan or photo of the business licence (PDF/JPG/PNG, at most 10 MB): the secretariat checks it "
                    "before your unit can apply."))

    def __init__(self, *args, registered_details_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["licence"]  # asked once, when the unit is registered
        if self.instance.pk:
            self.fields["credit_code"].disabled = True
            self.fields["credit_code"].help_text = _("To change the credit code, request a change of registered "
                                                     "details (with the new business licence).")
        if registered_details_locked:  # a member or an applicant: the secretariat reviews a change of name
            self.fields["name"].disabled = True
            self.fields["name"].help_text = _("To change the registered name, request a change of registered details "
                                              "(with the new business licence).")
        self.fields["credit_code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false", "maxlength": 30})

    def clean_credit_code(self):
        value = self.cleaned_data.get("credit_code") or ""
        if self.instance.pk:
            return self.instance.credit_code
        code = uscc.compact(value).upper()
        if len(code) != 18:
            raise forms.ValidationError(
                _("A unified social credit code has 18 characters; you entered %(n)s.") % {"n": len(code)},
                code="length",
            )
        try:
            uscc.validate(code)
        except stdnum_errors.InvalidChecksum as exc:
            raise forms.ValidationError(
                _("The check character (the last one) does not match: please check the code against the licence."),
                code="checksum",
            ) from exc
        except stdnum_errors.ValidationError as exc:
            raise forms.ValidationError(
                _("The code may contain only digits and capital letters other than I, O, Z, S and V, in the "
                  "GB 32100-2015 layout."),
                code="format",
            ) from exc
        division, region = region_for_code(code)
        if not region:
            raise forms.ValidationError(
                _("Characters 3–8 (%(division)s) are not a known administrative division code."),
                params={"division": division}, code="division",
            )
        return code

    def clean_established_on(self):
        value = self.cleaned_data.get("established_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The establishment date cannot be in the future."))
        return value


class DetailsChangeForm(forms.Form):
    """A unit asks to change its registered name or credit code; the secretariat reviews it."""

    new_name = forms.CharField(label=_("New registered name"), max_length=200, required=False)
    new_credit_code = forms.CharField(label=_("New unified social credit code"), max_length=30, required=False,
                                      help_text=_("Leave empty if only the name changes."))
    licence = PrivateFileField(label=_("New business licence"))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_new_credit_code(self):
        value = uscc.compact(self.cleaned_data.get("new_credit_code") or "").upper()
        if value:
            try:
                uscc.validate(value)
            except stdnum_errors.ValidationError as exc:
                raise forms.ValidationError(_("“%(code)s” is not a valid unified social credit code (18 characters "
                                              "with a correct check character).") % {"code": value}) from exc
        return value


class ApplicationForm(forms.ModelForm):
    # A plain file input: the current upload is listed by the template through a permission-checked link
    # (Django's ClearableFileInput would link to the storage URL, which private files do not have).
    application_letter = PrivateFileField(label=_("Signed application letter"), required=False, widget=forms.FileInput)
    business_licence = PrivateFileField(label=_("Business licence copy"), required=False, widget=forms.FileInput)

    class Meta:
        model = MembershipApplication
        fields = ["tier", "accepts_charter", "statement", "application_letter", "business_licence"]
        labels = {
            "accepts_charter": _("We accept the charter of the Zhejiang Credit Association and wish to join."),
            "statement": _("Statement"),
        }
        help_texts = {
            "statement": _("Your unit's credit management work and why it wishes to join (optional)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = MembershipTier.objects.filter(is_active=True)
        # No tier is chosen for the firm (issue #14.5: the first, most expensive one used to be preselected).
        self.fields["tier"].empty_label = _("Choose a tier")
        self.fields["tier"].error_messages["required"] = _("Choose a membership tier.")
        self.fields["tier"].label_from_instance = lambda t: f"{t.name}（{t.annual_dues:,.0f} 元/年）"

    def save(self, commit=True):
        application = super().save(commit=False)
        for field in ("application_letter", "business_licence"):
            if field in self.changed_data:
                upload = self.cleaned_data.get(field)
                setattr(application, f"{field}_name", PurePath(upload.name).name[:200] if upload else "")
        if commit:
            application.save()
        return application


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject")), ("return", _("Return"))])
    note = forms.CharField(label=_("Reason or message to the applicant"), widget=forms.Textarea, required=False)


class PaymentForm(forms.ModelForm):
    dues_item = forms.ModelChoiceField(queryset=DuesItem.objects.none(), label=_("Dues year"), empty_label=None)

    class Meta:
        model = Payment
        fields = ["dues_item", "amount", "paid_on", "method", "reference"]
        widgets = {"paid_on": DateInput()}

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not hasattr(items, "filter"):  # a list of items: the ones offered now
            items = DuesItem.objects.filter(pk__in=[i.pk for i in items])
        self.fields["dues_item"].queryset = items.select_related("tier").order_by("year")
        self.fields["dues_item"].label_from_instance = lambda i: (
            f"{i.year}（{i.tier.name}，应缴 {i.amount:,.2f}，尚欠 {i.outstanding:,.2f}）"
        )
        self.fields["paid_on"].initial = timezone.localdate()
        self.fields["amount"].min_value = 0.01
        self.fields["amount"].widget.attrs["min"] = "0.01"

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount must be greater than zero."))
        return amount


class TierChangeForm(forms.Form):
    tier = forms.ModelChoiceField(queryset=MembershipTier.objects.all(), label=_("New tier"), empty_label=None)


class ReissueForm(forms.Form):
    """Re-issue the member certificate (a new version; e.g. a lost certificate)."""


class ReinstateForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawalForm(forms.Form):
    letter = PrivateFileField(label=_("Signed withdrawal letter"))
    reason = forms.CharField(label=_("Reason for leaving (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("We understand that the membership ends when the secretariat confirms and that the certificate "
                "must be returned."),
    )


class ConfirmWithdrawalForm(forms.Form):
    certificate_returned_on = forms.DateField(
        label=_("Certificate returned on"), required=False, widget=DateInput(),
        help_text=_("Leave empty if the certificate has not been returned yet."),
    )


class CertificateReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Certificate returned on"), widget=DateInput())


class MeetingForm(forms.Form):
    """A council meeting's vote on a resolution (the workflow checks quorum and majority)."""

    meeting_date = forms.DateField(label=_("Council meeting date"), widget=DateInput())
    members_present = forms.IntegerField(label=_("Members present"), min_value=1)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0)
    votes_abstaining = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)


class ExpulsionForm(MeetingForm):
    reason = forms.CharField(label=_("Breach of the charter"), widget=forms.Textarea(attrs={"rows": 3}))
    minutes = PrivateFileField(label=_("Meeting minutes"))


class AdmissionResolutionForm(MeetingForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("E.g. the meeting's name and agenda item."))
    minutes = PrivateFileField(label=_("Meeting minutes"), required=False)


class AdmissionDecisionForm(forms.Form):
    """One submitted application on the resolution screen: on this meeting's agenda or not, and the decision."""

    application = forms.ModelChoiceField(queryset=MembershipApplication.objects.none(), widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"), required=False,
        choices=[("", _("Not decided at this meeting")), ("approve", _("Admit")), ("reject", _("Reject"))],
    )
    tier = forms.ModelChoiceField(queryset=MembershipTier.objects.all(), label=_("Tier admitted"), required=False,
                                  empty_label=None)
    reason = forms.CharField(label=_("Reason for rejection"), required=False, max_length=1000)

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications if applications is not None else (
            MembershipApplication.objects.none())


AdmissionDecisionFormSet = forms.formset_factory(AdmissionDecisionForm, extra=0)


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tier = forms.ModelChoiceField(queryset=MembershipTier.objects.all(), label=_("Tier"), required=False,
                                  empty_label=_("All tiers"))
    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.TypedChoiceField(label=_("Joined in"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, regions=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *regions]
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]
        self.fields["q"].widget.attrs["placeholder"] = _("Unit name or member number")


class JoinUnitForm(forms.Form):
    """A later claimant of a registered credit code asks the unit's administrators to let them act for it."""

    credit_code = forms.CharField(label=_("Unified social credit code of the unit"), max_length=30)
    message = forms.CharField(label=_("Message to the unit's administrator"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Who you are and what you do for the unit."))

    def clean_credit_code(self):
        return uscc.compact(self.cleaned_data["credit_code"]).upper()


class DisputeForm(forms.Form):
    licence = PrivateFileField(label=_("Business licence"))
    message = forms.CharField(label=_("Why you act for this unit"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class LicenceForm(forms.Form):
    licence = PrivateFileField(label=_("Business licence"))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email"))
    role = forms.ChoiceField(label=_("Role in the unit"), choices=OrganisationUser.Role.choices,
                             initial=OrganisationUser.Role.CLERK,
                             help_text=_("Administrators also manage the team; clerks act for the unit."))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the unit"), choices=OrganisationUser.Role.choices)

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .consent import ALL_KINDS, consent_label, documents_for, record_consent
from .models import Consent


class ConsentField(forms.BooleanField):
    """An unticked box "I have read and agree to 《用户协议》 and 《隐私政策》" linking the current texts.

    Required while the documents are published; with none published there is nothing to agree to and the
    box is optional. The label and the requirement are read when a form uses the field (each form gets its
    own copy of the field, so one query per form at most)."""

    default_error_messages = {"required": _("Tick the box to agree before you continue.")}

    def __init__(self, *, kinds=ALL_KINDS, **kwargs):
        self.kinds = tuple(kinds)
        self._documents = None
        self._built = False  # no query while the field is built (at import time for class attributes)
        kwargs.setdefault("required", True)
        kwargs.setdefault("label_suffix", "")
        super().__init__(**kwargs)
        self._built = True

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied._documents = None
        return copied

    def documents(self):
        if self._documents is None:
            self._documents = documents_for(self.kinds)
        return self._documents

    # Field.__init__ assigns both; they are derived from the published documents instead.
    @property
    def required(self) -> bool:
        return bool(self.documents()) if self._built else True

    @required.setter
    def required(self, value):
        pass

    @property
    def label(self):
        return consent_label(self.kinds, documents=self.documents()) if self._built else ""

    @label.setter
    def label(self, value):
        pass


class SignupConsentForm(forms.Form):
    """Mixed into allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS): the consent box, recorded on sign-up."""

    field_order = ["email", "password1", "password2", "agree"]
    agree = ConsentField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields["agree"].required:
            del self.fields["agree"]  # nothing published to agree to

    def signup(self, request, user):
        if "agree" in self.fields:
            record_consent(kinds=ALL_KINDS, context=Consent.Context.SIGNUP, user=user, request=request)


class ReconsentForm(forms.Form):
    def __init__(self, *args, kinds=ALL_KINDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agree"] = ConsentField(kinds=kinds)


class DetailsForm(forms.ModelForm):
    """What a person corrects here; the email address goes through allauth (with verification)."""

    class Meta:
        model = get_user_model()
        fields = ["display_name"]
        labels = {"display_name": _("Name")}
        help_texts = {"display_name": _("How the association addresses you in emails and records.")}

    def clean_display_name(self):
        return self.cleaned_data["display_name"].strip()


class CancellationForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label=_("I understand that a cancelled account cannot be restored."))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from .fees import WAN, FeeKind, plain_number
from .models import EventRegistration, ServiceRequest

# The largest base the estimator accepts: 1 万亿元 (10^8 万元) is beyond any member unit's assets.
MAX_BASE_WAN = Decimal("100000000")


class PlainNumberInput(forms.NumberInput):
    """A number as a person writes it: the stored 0.39000000 shows as 0.39 (the fee rate in the admin)."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return plain_number(value)
        return super().format_value(value)


class CatalogueFilterForm(forms.Form):
    """Search and filters of the public catalogue (GET). Choices come from rows the view already loaded."""

    q = forms.CharField(label=_("Search"), max_length=50, required=False)
    category = forms.ChoiceField(label=_("Service category"), required=False)
    provider = forms.TypedChoiceField(label=_("Provider"), required=False, coerce=int, empty_value=None)
    fee = forms.ChoiceField(
        label=_("Fee"), required=False, choices=[("", _("Any fee"))] + list(FeeKind.choices)
    )

    def __init__(self, *args, categories=(), providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [(c.code, c.name) for c in categories]
        self.fields["provider"].choices = [("", _("All providers"))] + [(p.pk, p.name) for p in providers]
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("Service, provider or keyword")})


class EstimateForm(forms.Form):
    """The base of a minimum-and-rate fee, in 万元 (10,000 yuan), as people quote assets and claims.

    Accepts full-width digits and thousands separators ("１,２００" is 1200); rejects empty,
    non-numeric, negative and absurdly large input with a message that says what to type.
    """

    base = forms.CharField(label=_("Base amount (10,000 yuan)"), required=False, max_length=40)

    def __init__(self, *args, base_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.base_name = base_name
        self.fields["base"].label = _("%(base)s (in 10,000 yuan)") % {"base": base_name}
        self.fields["base"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean_base(self) -> Decimal:
        raw = unicodedata.normalize("NFKC", self.cleaned_data.get("base") or "")
        text = re.sub(r"[\s,]", "", raw)
        if not text:
            raise forms.ValidationError(
                _("Enter the %(base)s in 10,000 yuan, for example 1200.") % {"base": self.base_name}, code="required"
            )
        if text.startswith("+"):
            text = text[1:]
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise forms.ValidationError(
                _("“%(value)s” is not a number. Enter digits only, for example 1200 or 1200.5.") % {"value": raw.strip()},
                code="invalid",
            )
        try:
            value = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the pattern above already guarantees a number
            raise forms.ValidationError(_("Enter a number."), code="invalid") from exc
        if value < 0:
            raise forms.ValidationError(_("The amount cannot be negative."), code="negative")
        if value > MAX_BASE_WAN:
            raise forms.ValidationError(
                _("That amount is too large. Enter at most %(max)s (10,000 yuan).") % {"max": f"{MAX_BASE_WAN:,.0f}"},
                code="too_large",
            )
        if -value.as_tuple().exponent > 6:
            raise forms.ValidationError(_("Enter at most six decimal places."), code="precision")
        return value

    @property
    def base_yuan(self) -> Decimal:
        return self.cleaned_data["base"] * WAN


class ServiceRequestForm(forms.ModelForm):
    class Meta:
        model = ServiceRequest
        fields = ["message", "contact_name", "contact_phone", "contact_email", "preferred_contact"]
        labels = {"message": _("What do you need?")}
        help_texts = {"message": _("Describe your needs briefly; the provider will contact you.")}
        widgets = {
            "message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
            "preferred_contact": forms.RadioSelect,
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) > 2000:
            raise forms.ValidationError(_("Keep the message under 2000 characters."))
        return message

    def clean(self):
        data = super().clean()
        method = data.get("preferred_contact")
        if method == ServiceRequest.ContactMethod.PHONE and not data.get("contact_phone"):
            self.add_error("contact_phone", _("Enter a phone number, or choose email as the preferred contact."))
        if method == ServiceRequest.ContactMethod.EMAIL and not data.get("contact_email"):
            self.add_error("contact_email", _("Enter an email address, or choose phone as the preferred contact."))
        return data


class EventRegistrationForm(forms.ModelForm):
    class Meta:
        model = EventRegistration
        fields = ["participants", "note"]
        help_texts = {"note": _("Names of the people attending, or anything the secretariat should know.")}

    def clean_participants(self):
        value = self.cleaned_data["participants"]
        if not 1 <= value <= 10:
            raise forms.ValidationError(_("Register between 1 and 10 participants."))
        return value

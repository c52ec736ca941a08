from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from ..fees import grouped_amount

register = template.Library()


@register.filter
def yuan_fen(value) -> str:
    """A Decimal amount to the fen with thousands separators: 19500 → "19,500.00 元"."""
    if value in (None, ""):
        return "—"
    return _("%(amount)s yuan") % {"amount": grouped_amount(Decimal(value))}

"""Where dues are paid (收款账户): the account the 缴费通知书 and the firm's account page show."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from portal.core.text import SingleLineModelField


@register_setting(icon="tag")
class PaymentAccount(BaseGenericSetting):
    """The association's bank account for dues, editable by the secretariat (settings → 收款账户).

    The texts give no account: bank and number stay empty until the association enters them, and the
    notices then say to ask the secretariat instead of showing a made-up account.
    """

    payee_name = SingleLineModelField(_("payee"), max_length=100, default="浙江省信用协会")
    bank_name = SingleLineModelField(_("bank"), max_length=100, blank=True,
                                     help_text=_("The bank and branch, e.g. 中国工商银行杭州西湖支行."))
    account_number = SingleLineModelField(_("account number"), max_length=40, blank=True)
    instructions = models.TextField(
        _("instructions"), blank=True,
        default="请通过对公转账缴纳会费，并在转账附言中填写缴费参考号，以便协会核对入账并开具收据。",
        help_text=_("Printed on the dues notice and shown on the firm's account page."),
    )

    class Meta:
        verbose_name = _("dues bank account")

    @property
    def is_complete(self) -> bool:
        return bool(self.payee_name and self.bank_name and self.account_number)

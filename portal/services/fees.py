"""Structured service fees: how the seed's fee column is modelled, rendered and estimated.

The association's service list (seed L1219–L1226) prints four shapes of fee:

* ``5000- 100 000元/年`` — a **range** with a period: rendered ``5000–100000 元/年``;
* ``4500- 12000元`` — a **range** without period: ``4500–12000 元``;
* ``1560元- 资产总额 0.39‰`` and ``2000元- 涉案金额5%`` — a **minimum plus a rate on a named base**;
* ``自行协商`` — **negotiable**.

Reading the minimum-plus-rate rows. Both come from regulated professions whose fee scales
work the same way: an accounting firm's audit fee is charged as a per-mille of total assets
with a minimum charge (起价), and a law firm's litigation fee as a percentage of the amount in
dispute with a minimum charge. The dash in ``1560元- 资产总额 0.39‰`` is therefore read
as "from 1560 元, charged at 0.39‰ of 资产总额": the fee is the rate times the base, but
never less than the minimum — ``max(minimum, rate × base)`` (``Rule.GREATER``). It is
rendered ``1560 元起，按资产总额的 0.39‰ 计收``. Because another provider may well price as
"a fixed fee plus a rate" (``minimum + rate × base``), the rule is stored with each item
(``Rule.SUM``, rendered ``1560 元另加资产总额的 0.39‰``) rather than assumed in code.

Money and rates are ``Decimal`` throughout. A service item stores the rate as the provider prints
it, with its unit (0.39 and ‰; 5 and %), so that staff type what they read and the display shows
the same figure; `Fee` works with the fraction (0.39‰ is ``Decimal("0.00039")``, see `fraction`).
Estimates are rounded half-up to the fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

FEN = Decimal("0.01")
WAN = Decimal("10000")


class FeeKind(models.TextChoices):
    FIXED = "fixed", _("Fixed fee")
    RANGE = "range", _("Fee range")
    MINIMUM_RATE = "minimum_rate", _("Minimum and a rate on a base")
    NEGOTIABLE = "negotiable", _("Negotiable")


class FeePeriod(models.TextChoices):
    NONE = "", _("(once)")
    # a context keeps these short words apart from other areas' "year", "time" …
    YEAR = "year", pgettext_lazy("fee period", "year")
    MONTH = "month", pgettext_lazy("fee period", "month")
    CASE = "case", pgettext_lazy("fee period", "case")
    TIME = "time", pgettext_lazy("fee period", "time")


class RateUnit(models.TextChoices):
    PERMILLE = "permille", "‰"
    PERCENT = "percent", "%"


class FeeRule(models.TextChoices):
    GREATER = "greater", _("The greater of the minimum and the rate times the base")
    SUM = "sum", _("The minimum plus the rate times the base")


RATE_FACTORS = {RateUnit.PERMILLE: Decimal("1000"), RateUnit.PERCENT: Decimal("100")}


def fraction(printed: Decimal | None, unit: str) -> Decimal | None:
    """A rate as printed in its unit, as a fraction: (0.39, ‰) → 0.00039, (5, %) → 0.05."""
    if printed is None:
        return None
    return printed / RATE_FACTORS[RateUnit(unit)]


def plain_number(value: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 100000.00 → "100000", 0.390 → "0.39"."""
    text = format(value.normalize(), "f")
    return text


def grouped_amount(value: Decimal) -> str:
    """An amount in yuan to the fen with thousands separators: 19500 → "19,500.00"."""
    return f"{value.quantize(FEN, rounding=ROUND_HALF_UP):,.2f}"


@dataclass(frozen=True)
class Estimate:
    """The outcome of `Fee.estimate`: the fee and how it was reached."""

    base: Decimal  # in yuan
    rate_amount: Decimal  # rate × base, rounded to the fen
    minimum: Decimal
    amount: Decimal  # the estimated fee
    rule: str
    minimum_applies: bool  # GREATER rule only: the minimum was higher than rate × base


@dataclass(frozen=True)
class Fee:
    """A fee as published by a provider (a value object; `ServiceItem.fee` builds it)."""

    kind: str
    amount: Decimal | None = None  # fixed amount, lower bound of a range, or the minimum
    amount_max: Decimal | None = None  # upper bound of a range
    period: str = ""
    rate: Decimal | None = None  # a fraction: 0.00039 for 0.39‰
    rate_unit: str = RateUnit.PERCENT
    base_name: str = ""  # 资产总额, 涉案金额 …
    rule: str = FeeRule.GREATER

    @property
    def is_estimable(self) -> bool:
        return self.kind == FeeKind.MINIMUM_RATE

    @property
    def rate_display(self) -> str:
        """The rate in the unit it was published in: "0.39‰", "5%"."""
        unit = RateUnit(self.rate_unit)
        return f"{plain_number(self.rate * RATE_FACTORS[unit])}{unit.label}"

    def render(self) -> str:
        """Natural-language fee text in the active language (Chinese by default)."""
        if self.kind == FeeKind.NEGOTIABLE:
            return gettext("negotiable")
        if self.kind == FeeKind.FIXED:
            text = gettext("%(amount)s yuan") % {"amount": plain_number(self.amount)}
        elif self.kind == FeeKind.RANGE:
            text = gettext("%(low)s–%(high)s yuan") % {
                "low": plain_number(self.amount),
                "high": plain_number(self.amount_max),
            }
        else:
            values = {"minimum": plain_number(self.amount), "rate": self.rate_display, "base": self.base_name}
            if self.rule == FeeRule.SUM:
                return gettext("%(minimum)s yuan plus %(rate)s of the %(base)s") % values
            return gettext("from %(minimum)s yuan, charged at %(rate)s of the %(base)s") % values
        if self.period:
            text = f"{text}/{FeePeriod(self.period).label}"
        return text

    def __str__(self) -> str:
        return self.render()

    def estimate(self, base: Decimal) -> Estimate:
        """The fee for a base amount in yuan (minimum-and-rate fees only).

        GREATER: max(minimum, rate × base); SUM: minimum + rate × base. Rounded half-up to the fen.
        """
        if not self.is_estimable:
            raise ValueError("only minimum-and-rate fees can be estimated")
        if base < 0:
            raise ValueError("the base must not be negative")
        minimum = self.amount or Decimal("0")
        rate_amount = (self.rate * base).quantize(FEN, rounding=ROUND_HALF_UP)
        if self.rule == FeeRule.SUM:
            amount, minimum_applies = minimum + rate_amount, False
        else:
            minimum_applies = minimum > rate_amount
            amount = minimum if minimum_applies else rate_amount
        return Estimate(
            base=base,
            rate_amount=rate_amount,
            minimum=minimum,
            amount=amount.quantize(FEN, rounding=ROUND_HALF_UP),
            rule=self.rule,
            minimum_applies=minimum_applies,
        )

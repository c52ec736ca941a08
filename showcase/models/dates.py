"""Calendar arithmetic of the programme's periods (validity, bans, years of operation)."""

import datetime


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February maps to 28 February in a common year.

    (Civil Code art. 202: a period counted in years ends on the corresponding day, or on the last day of
    that month when there is none.)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 Feb → common year
        return day.replace(year=day.year + years, day=28)

"""The programme's answer to the membership mailings: which units hold a current 信用示范会员单位 title
(`members.domain.mailings` asks through the `mailing_segment_units` hook; it does not know this programme)."""

from .models import Title, TitleStatus

CURRENT = (TitleStatus.VALID, TitleStatus.EXPIRING, TitleStatus.RE_REVIEW)


def demonstration_units(segment: str):
    """Organisation ids of the credit demonstration units whose title is current (None for other segments)."""
    if segment != "demonstration":
        return None
    return set(Title.objects.with_status().filter(status__in=CURRENT).values_list("organisation_id", flat=True))

from django import template

register = template.Library()


@register.filter
def personal_value(value):
    """A value of a personal-data record for display: dates in Beijing time, empty as "—"."""
    import datetime

    from django.utils import timezone
    from django.utils.translation import gettext as _

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        return value[:16].replace("T", " ")  # an ISO timestamp from the JSON export
    return value

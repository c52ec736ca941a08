"""How a person is named to others and in emails: the name they gave, never the generated username."""


def person_name(user) -> str:
    """The person's own name (display name, else first and last name), or "" when they have given none.

    A name that is just their email address is no name (older accounts were created that way).
    """
    if user is None or not getattr(user, "pk", None):
        return ""
    name = (getattr(user, "display_name", "") or user.get_full_name() or "").strip()
    return "" if not name or name == (user.email or "").strip() else name


def user_display(user) -> str:
    """allauth's ACCOUNT_USER_DISPLAY: the name, else the email address (never the username)."""
    return person_name(user) or getattr(user, "email", "") or ""

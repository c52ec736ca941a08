"""Building blocks for `manage.py load_demo`.

Each app adds its demo data with a `register_demo_loader` Wagtail hook
(`hooks.register("register_demo_loader", fn, order=N)`); `fn(demo)` receives a
`Demo` and must be idempotent (get_or_create by natural keys).
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

DEMO_PASSWORD = "demo-2026"
DEMO_DOMAIN = "demo.zjxyxh.org"


@dataclass
class Demo:
    stdout: object
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, email, password)

    def say(self, message: str) -> None:
        self.stdout.write(message)

    def user(self, local_part: str, *, name: str, role=None, label: str = "", superuser: bool = False):
        """A demo account with a verified email (idempotent); listed on the console."""
        email = f"{local_part}@{DEMO_DOMAIN}"
        user = demo_user(email, name=name, role=role, superuser=superuser)
        label = label or (f"{role.value} ({role.name.lower().replace('_', ' ')})" if role else "")
        if (str(label), email, DEMO_PASSWORD) not in self.accounts:
            self.accounts.append((str(label), email, DEMO_PASSWORD))
        return user


def demo_user(email: str, *, name: str, role=None, superuser: bool = False, password: str = DEMO_PASSWORD):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"username": email.split("@")[0], "display_name": name}
    )
    if created:
        user.set_password(password)
    user.display_name = name
    if superuser:
        user.is_superuser = user.is_staff = True
    user.save()
    if role is not None:
        user.groups.add(Group.objects.get(name=str(role)))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user

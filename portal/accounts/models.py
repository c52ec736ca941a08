from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.text import SingleLineModelField


class User(AbstractUser):
    """A person who logs in. Login is by email (allauth); the username is generated."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = SingleLineModelField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.email or self.username

    def save(self, *args, **kwargs):
        # The name the person gave is their first name too: Wagtail's account menu and user lists show
        # first_name (else the generated username), and get_full_name() gives it to everything else.
        if self.display_name:
            self.first_name, self.last_name = self.display_name[:150], ""
            fields = kwargs.get("update_fields")
            if fields is not None and "display_name" in fields:
                kwargs["update_fields"] = {*fields, "first_name", "last_name"}
        super().save(*args, **kwargs)

    @property
    def role_names(self) -> frozenset[str]:
        """Names of the user's role groups, cached on the instance."""
        cached = getattr(self, "_role_names", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True)) if self.pk else frozenset()
            self._role_names = cached
        return cached

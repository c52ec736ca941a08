from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from portal.core.audit import ROLE_ADDED, ROLE_REMOVED


class RoleFormatter(LogFormatter):
    template = ""

    def format_message(self, log_entry):
        return self.template % {"role": log_entry.data.get("role", "?")}


@hooks.register("register_log_actions")
def register_account_actions(actions):
    @actions.register_action(ROLE_ADDED)
    class RoleAdded(RoleFormatter):
        label = _("Role granted")
        template = _("Role granted: %(role)s")

    @actions.register_action(ROLE_REMOVED)
    class RoleRemoved(RoleFormatter):
        label = _("Role withdrawn")
        template = _("Role withdrawn: %(role)s")

"""Staff see their own name in the back office's account menu, never the generated username (issue #14)."""

import json
import re

from portal.accounts.roles import Role


def _sidebar_name(html: str) -> str:
    props = json.loads(re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1))
    return json.dumps(props, ensure_ascii=False)


def test_admin_account_menu_shows_the_persons_name(client_for, make_user):
    user = make_user(Role.SECRETARIAT, email="caiwu@zjxyxh.example.com", name="秘书处 财务")
    sidebar = _sidebar_name(client_for(user).get("/admin/").content.decode())
    assert "秘书处 财务" in sidebar
    assert f'"{user.username}"' not in sidebar

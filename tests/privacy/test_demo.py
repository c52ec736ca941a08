"""The demo's policy pages and its accounts' consents."""

import io

from portal.core.demo import DEMO_PASSWORD, Demo
from portal.privacy.demo import load_privacy_demo
from portal.privacy.models import Consent, LegalDocumentPage


def test_demo_publishes_both_documents_once_and_demo_accounts_have_agreed(home_page, client):
    demo = Demo(stdout=io.StringIO())
    firm = demo.user("firm-x", name="演示企业用户")
    load_privacy_demo(demo)
    load_privacy_demo(demo)
    pages = {p.kind: p for p in LegalDocumentPage.objects.live()}
    assert sorted(pages) == ["privacy", "terms"]
    assert (pages["privacy"].url, pages["terms"].url) == ("/privacy-policy/", "/user-agreement/")
    assert sorted(Consent.objects.filter(user=firm).values_list("kind", "version")) == [("privacy", 1), ("terms", 1)]
    client.post("/accounts/login/", {"login": firm.email, "password": DEMO_PASSWORD})
    assert client.get("/account/").status_code == 200  # not sent to the consent page


def test_demo_privacy_policy_says_what_the_portal_collects_and_for_how_long(home_page):
    from portal.privacy.demo import ensure_documents

    body = {p.kind: str(p.body) for p in ensure_documents()}["privacy"]
    for text in ("电子邮箱", "双重认证", "联系人姓名、联系电话、联系邮箱", "签署人姓名及职务", "网络地址（IP）",
                 "评审专家", "您选择的服务机构", "第三方评估机构", "中华人民共和国境内", "30 天内未验证邮箱的账号将被删除",
                 "异议处理完毕后保存 1 年", "作出决定后保存 3 年", "发送后保存 180 天", "/account/privacy/",
                 "注销账号", "十五个工作日", "未满十四周岁", "zj_xyxh@126.com"):
        assert text in body, text
    assert "\n" not in body  # a line break in the source would show as a space between Chinese characters

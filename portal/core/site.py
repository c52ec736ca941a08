"""The Wagtail site tree every environment needs: a HomePage as the site root."""

from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage

INTRODUCTION = (
    "<p>浙江省信用协会成立于2008年12月，由浙江省范围内从事信用学术研究、信用服务的单位、"
    "企事业单位和个人自愿结成的全省性、行业性、非营利性社会组织。</p>"
    "<p>协会团结全体会员，宣传贯彻国家和省关于社会信用体系建设的法律、法规和政策，"
    "组织开展信用理论、技术和规制研究，交流信用信息，开展信用产品推广和信用优良企业示范推介工作，"
    "向社会普及信用知识，协助政府有关部门推动社会诚信体系建设，维护会员的合法权益。</p>"
)


@transaction.atomic
def ensure_site_tree() -> HomePage:
    """Create the HomePage and point the default Site at it (idempotent)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's placeholder page occupies the "home" slug: remove it first.
        for child in root.get_children():
            if child.specific_class is Page:
                child.delete()
        home = HomePage(
            title="浙江省信用协会",
            slug="home",
            seo_title="浙江省信用协会 — 信用浙江",
            lead="诚信为本，服务会员，推动社会信用体系建设",
            introduction=INTRODUCTION,
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="浙江省信用协会")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "浙江省信用协会"
        site.save()
    return home

"""Public URLs of the magazine outside the page tree, and the site map (included at the site root)."""

from django.urls import path

from . import feeds, sitemap, views

app_name = "magazine"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("magazine-feed/rss/", feeds.ArticlesFeed(), name="feed"),
    path("magazine-feed/atom/", feeds.AtomArticlesFeed(), name="feed_atom"),
    # The whole site's map (pages and public views), for people and for search engines.
    path("sitemap/", sitemap.site_map, name="site_map"),
    path("sitemap.xml", sitemap.sitemap_xml, name="sitemap"),
    path("robots.txt", sitemap.robots_txt, name="robots"),
]

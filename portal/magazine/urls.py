"""Public URLs of the magazine outside the page tree (included at the site root)."""

from django.urls import path

from . import feeds, views

app_name = "magazine"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("magazine-feed/rss/", feeds.ArticlesFeed(), name="feed"),
    path("magazine-feed/atom/", feeds.AtomArticlesFeed(), name="feed_atom"),
]

"""RSS and Atom feeds of the newest live articles."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import live_articles

FEED_SIZE = 30


class ArticlesFeed(Feed):
    title = _("Credit Zhejiang — new articles")
    link = "/magazine/"
    description = _("New articles of the magazine 《信用浙江》 of the Zhejiang Credit Association.")

    def items(self):
        return (
            live_articles().select_related("issue", "column")
            .order_by("-first_published_at", "path")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary(200)

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.author_names or None

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.column.name_zh] if item.column_id else []


class AtomArticlesFeed(ArticlesFeed):
    feed_type = Atom1Feed
    subtitle = ArticlesFeed.description


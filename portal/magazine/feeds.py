"""RSS and Atom feeds of the newest articles, dated by their issue's publication.

Back issues are imported long after they were printed: dating their articles by the time of
import would present a whole archive as news. An article is dated by its issue's publication
date (the month it was printed); it shows as updated only when it was republished after its
first publication (a correction), not merely because it was imported.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import contents_order, live_articles

FEED_SIZE = 30
#: Publishing an article twice within this time (an import and its review) is not a correction.
CORRECTION_AFTER = datetime.timedelta(hours=1)


def publication_datetime(article) -> datetime.datetime | None:
    issue = article.issue
    if issue is None or issue.publication_date is None:
        return article.first_published_at
    return timezone.make_aware(datetime.datetime.combine(issue.publication_date, datetime.time.min))


class ArticlesFeed(Feed):
    title = _("Credit Zhejiang — new articles")
    link = "/magazine/"
    description = _("New articles of the magazine 《信用浙江》 of the Zhejiang Credit Association.")

    def items(self):
        newest = list(
            live_articles().select_related("issue", "column")
            .order_by("-issue__publication_date", "-issue__year", "-issue__number", "path")[:FEED_SIZE]
        )
        # Within one issue, its contents order.
        by_issue: dict[int | None, list] = {}
        for article in newest:
            by_issue.setdefault(article.issue_id, []).append(article)
        return [a for group in by_issue.values() for a in contents_order(group)]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary(200)

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.author_names or None

    def item_pubdate(self, item):
        return publication_datetime(item)

    def item_updateddate(self, item):
        published = publication_datetime(item)
        first, last = item.first_published_at, item.last_published_at
        if first and last and last - first > CORRECTION_AFTER and (published is None or last > published):
            return timezone.localtime(last)  # in the site's time zone, as the publication dates are
        return published

    def item_categories(self, item):
        return [item.column.name_zh] if item.column_id else []


class AtomArticlesFeed(ArticlesFeed):
    feed_type = Atom1Feed
    subtitle = ArticlesFeed.description

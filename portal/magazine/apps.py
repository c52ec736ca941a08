from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MagazineConfig(AppConfig):
    name = "portal.magazine"
    label = "magazine"
    verbose_name = _("Magazine")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import ArticlePage
        from .search import article_deleted, article_saved

        post_save.connect(article_saved, sender=ArticlePage, dispatch_uid="magazine_article_index")
        post_delete.connect(article_deleted, sender=ArticlePage, dispatch_uid="magazine_article_unindex")
        # An issue goes live with its articles, however it is published (portal.magazine.publishing).
        from wagtail.signals import page_published

        from .models import IssuePage
        from .publishing import issue_published

        page_published.connect(issue_published, sender=IssuePage, dispatch_uid="magazine_issue_with_articles")
        from wagtail.signals import post_page_move

        from .models import article_moved

        post_page_move.connect(article_moved, sender=ArticlePage, dispatch_uid="magazine_article_moved")
        # Column and author names show on public pages: drop the cached pages when they change.
        from portal.core.cache import invalidate_on_change

        from .models import Author, Column

        invalidate_on_change(Column, Author)
        # The stored main parts of articles (rendering.py): dropped when what they show changes.
        from .rendering import connect_signals

        connect_signals()

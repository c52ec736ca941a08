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
        # Column and author names show on public pages: drop the cached pages when they change.
        from portal.core.cache import invalidate_public_pages

        from .models import Author, Column

        for model in (Column, Author):
            for signal in (post_save, post_delete):
                signal.connect(
                    lambda **kwargs: invalidate_public_pages(), sender=model, weak=False,
                    dispatch_uid=f"magazine_{model.__name__}_{signal is post_save}_cache",
                )

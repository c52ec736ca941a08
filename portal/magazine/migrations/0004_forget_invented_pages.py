"""Forget the page numbers the importer used to invent (#14.24).

The importer gave every article its column's start page, so all articles of a column showed the
same page. Only the column's first article really starts there: in each issue and column, the
later articles (tree order) that carry the first one's page lose it, in the page row and in its
live and latest revisions. Pages that differ (entered by editors) are kept.
"""

from django.db import migrations


def forget_invented_pages(apps, schema_editor):
    ArticlePage = apps.get_model("magazine", "ArticlePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    groups: dict[tuple, list] = {}
    articles = ArticlePage.objects.exclude(column=None).exclude(start_page=None).order_by("path")
    for article in articles.only("pk", "path", "issue_id", "column_id", "start_page", "latest_revision_id",
                                 "live_revision_id"):
        parent_path = article.path[:-4]  # the issue (treebeard steps of four characters)
        groups.setdefault((parent_path, article.column_id), []).append(article)
    for group in groups.values():
        first = group[0]
        invented = [a for a in group[1:] if a.start_page == first.start_page]
        for article in invented:
            ArticlePage.objects.filter(pk=article.pk).update(start_page=None)
            revision_ids = {article.latest_revision_id, article.live_revision_id} - {None}
            for revision in Revision.objects.filter(pk__in=revision_ids):
                if revision.content.get("start_page") == first.start_page:
                    revision.content["start_page"] = None
                    revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [("magazine", "0003_article_pages"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(forget_invented_pages, migrations.RunPython.noop)]

"""StreamField blocks of an article body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageBlock

PARAGRAPH_FEATURES = ["bold", "italic", "superscript", "subscript", "link"]


class HeadingBlock(blocks.StructBlock):
    level = blocks.ChoiceBlock(
        choices=[("2", _("Level 1 (一、)")), ("3", _("Level 2 (（一）)")), ("4", _("Level 3 (1.)"))],
        default="2",
        label=_("level"),
    )
    text = blocks.CharBlock(label=_("text"))

    class Meta:
        icon = "title"
        template = "magazine/blocks/heading.html"
        label = _("Heading")


class ArticleImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(required=False, label=_("caption"))

    class Meta:
        icon = "image"
        template = "magazine/blocks/image.html"
        label = _("Image")


class ListItemsBlock(blocks.ListBlock):
    class Meta:
        icon = "list-ul"
        template = "magazine/blocks/list.html"
        label = _("List")


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("Paragraph"), icon="pilcrow")
    heading = HeadingBlock()
    table = TableBlock(label=_("Table"), template="magazine/blocks/table.html")
    image = ArticleImageBlock()
    quote = blocks.TextBlock(label=_("Quote"), icon="openquote", template="magazine/blocks/quote.html")
    list = ListItemsBlock(blocks.CharBlock(label=_("item")))

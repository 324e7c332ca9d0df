"""StreamField blocks for relic and place bodies."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Ảnh"))
    caption = blocks.CharBlock(required=False, label=_("Chú thích"))

    class Meta:
        icon = "image"
        label = _("Ảnh")
        template = "content/blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Trích dẫn"))
    attribution = blocks.CharBlock(required=False, label=_("Nguồn"))

    class Meta:
        icon = "openquote"
        label = _("Trích dẫn")
        template = "content/blocks/quote_block.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, label=_("Tiêu đề"))
    images = blocks.ListBlock(ImageBlock(), label=_("Ảnh"))

    class Meta:
        icon = "image"
        label = _("Bộ sưu tập ảnh")
        template = "content/blocks/gallery_block.html"


class BodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"], label=_("Văn bản")
    )
    image = ImageBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()


class ExtraImagesBlock(blocks.StreamBlock):
    image = ImageChooserBlock(label=_("Ảnh"))


def image_ids(stream) -> list[int]:
    """Image ids in an ExtraImagesBlock stream, read from raw data: no query per picture."""
    return [b["value"] for b in stream.raw_data if b.get("value")]

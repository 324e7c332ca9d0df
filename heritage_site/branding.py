"""The district's own admin: its name and logo from Cài đặt → Thông tin huyện, with defaults."""

from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from wagtail.models import Site

from content.models import DistrictSettings

DEFAULT_LOGO = "favicon.svg"  # the visitor site's emblem, our own drawing


@dataclass(frozen=True)
class Brand:
    name: str  # the district's name, or WAGTAIL_SITE_NAME before anyone has set it
    product: str  # WAGTAIL_SITE_NAME ("Di sản số")
    logo_url: str
    favicon_url: str

    @property
    def title(self) -> str:
        """What the browser tab shows after the screen's own title."""
        return self.name if self.name == self.product else f"{self.name} · {self.product}"


def admin_brand(request) -> Brand:
    """The brand of the site the request is for (the default site for a host it does not know)."""
    product = settings.WAGTAIL_SITE_NAME
    site = Site.find_for_request(request) if request is not None else None
    district = DistrictSettings.for_site(site) if site is not None else None
    name = (district.district_name.strip() if district else "") or product
    logo_url = favicon_url = static(DEFAULT_LOGO)
    if district is not None and district.logo_id:
        logo = district.logo
        logo_url = logo.get_rendition("max-160x160|format-png").url
        favicon_url = logo.get_rendition("fill-64x64|format-png").url
    return Brand(name=name, product=product, logo_url=logo_url, favicon_url=favicon_url)


def link_our_guide() -> None:
    """The dashboard's "editor guide" link (Wagtail's template tag) goes to our Vietnamese guide
    instead of Wagtail's English one; the sidebar's help menu is set in wagtail_hooks."""
    from wagtail.templatetags import wagtailcore_tags

    wagtailcore_tags.register.simple_tag(
        lambda: reverse("editor_guide"), name="wagtail_feature_release_editor_guide_link"
    )

"""``{% json_ld page %}``: the schema.org description of a relic or tourism place page."""

from django import template

from content.structured_data import json_ld_script, relic_data, tourism_place_data

register = template.Library()


@register.simple_tag(takes_context=True)
def json_ld(context, page):
    from content.models import DistrictSettings, RelicPage, TourismPlacePage

    request = context.get("request")
    if request is None:
        return ""
    absolute = request.build_absolute_uri
    # The settings the page's header already read for this request (no query of its own).
    district = DistrictSettings.for_request(request)
    if isinstance(page, RelicPage):
        return json_ld_script(relic_data(page, absolute, district))
    if isinstance(page, TourismPlacePage):
        return json_ld_script(tourism_place_data(page, absolute, district))
    return ""

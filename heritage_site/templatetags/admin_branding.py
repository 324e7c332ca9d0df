"""`{% admin_brand as brand %}` for the branding blocks in heritage_site/templates/wagtailadmin."""

from django import template

from heritage_site.branding import admin_brand as brand_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_brand(context):
    """The brand, worked out once per response and kept on the request."""
    request = context.get("request")
    if request is None:
        return brand_for_request(None)
    if not hasattr(request, "_admin_brand"):
        request._admin_brand = brand_for_request(request)
    return request._admin_brand

"""Template tags of the visitor pages: language links, hreflang and Open Graph."""

from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Page

from content.languages import (
    bcp47_tag,
    language_codes,
    language_name,
    og_locale,
    path_in_language,
)
from content.public import default_locale
from heritage_site.memo import remembered, visitor_site

register = template.Library()


_bcp47 = bcp47_tag


@register.simple_tag(takes_context=True)
def language_links(context, page=None) -> list[dict]:
    """One link per configured language: the translation where it exists, otherwise the
    Vietnamese page under that language's prefix (served with a notice). A page's links are
    remembered until visitor content changes (heritage_site/memo.py)."""
    request = context.get("request")
    if not isinstance(page, Page):
        return _language_links(request, page)
    site = visitor_site(request) if request is not None else None
    key = ("language-links", site.pk if site else None, page.pk, translation.get_language())
    return remembered(key, lambda: _language_links(request, page))


def _language_links(request, page) -> list[dict]:
    current = translation.get_language()
    translations = {}
    if isinstance(page, Page):
        for t in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[t.locale.language_code] = t
    source = translations.get(settings.LANGUAGE_CODE) or page
    links = []
    for code in language_codes():
        target = translations.get(code)
        with translation.override(code):
            if target is not None:
                url = target.get_url(request)
            elif isinstance(source, Page):
                url = source.get_url(request)
            else:
                url = path_in_language(request.path if request else "/", code)
        if url is None:
            continue
        if isinstance(source, Page) and target is None and code != settings.LANGUAGE_CODE:
            url = path_in_language(url, code)
        links.append(
            {
                "code": code,
                "hreflang": _bcp47(code),
                "name": language_name(code),
                "url": url,
                "current": code == current,
                "translated": target is not None,
            }
        )
    return links


@register.simple_tag
def serves_fallback(page) -> bool:
    """A Vietnamese page shown to a visitor in another language (no translation yet); admin
    previews of translated pages are not fallbacks."""
    active = translation.get_language()
    return (
        isinstance(page, Page)
        and active != settings.LANGUAGE_CODE
        and page.locale.language_code == settings.LANGUAGE_CODE
    )


@register.simple_tag(takes_context=True)
def vietnamese_only(context, page) -> bool:
    """A page listed in Vietnamese for a visitor in another language (not translated yet): its
    card says so and marks its title lang="vi"."""
    if translation.get_language() == settings.LANGUAGE_CODE or not isinstance(page, Page):
        return False
    return page.locale_id == default_locale().pk


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    request = context.get("request")
    if not url or request is None or url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url)


@register.simple_tag
def og_locale_for(code: str) -> str:
    return og_locale(code)


@register.filter
def bcp47(code: str) -> str:
    return _bcp47(code)


@register.simple_tag(takes_context=True)
def site_sections(context) -> dict:
    """The relic index and tourism directory pages for the header, remembered until visitor
    content changes (heritage_site/memo.py)."""
    request = context.get("request")
    site = visitor_site(request) if request is not None else None
    key = ("site-sections", site.pk if site else None, translation.get_language())
    return remembered(key, lambda: _site_sections(request))


def _site_sections(request) -> dict:
    from content.models import RelicIndexPage, TourismIndexPage

    sections = {}
    for name, model in (("relics", RelicIndexPage), ("directory", TourismIndexPage)):
        page = (
            model.objects.live()
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .order_by("path")
            .first()
        )
        # The Vietnamese page's URL carries the visitor's prefix (HeritagePageMixin).
        sections[name] = page.get_url(request) if page else None
    return sections


class FragmentNode(template.Node):
    def __init__(self, name: str, nodelist) -> None:
        self.name, self.nodelist = name, nodelist

    def render(self, context) -> str:
        fragments = context.get("fragments")
        if fragments is None:
            return self.nodelist.render(context)
        return fragments.render(self.name, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    """``{% fragment "name" %}…{% endfragment %}``: a part of the page kept until visitor
    content changes (heritage_site/fragments.py), when the view put ``fragments`` in the
    context; the view then skipped the queries the part needs. Never inside a condition that
    depends on those queries: every named part must render on a miss."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% fragment %} takes one quoted name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], nodelist)

"""The plaque resolver `/Q/<code>`: count the scan, then send the visitor on in their language.

A scan costs two queries: the lookup and the counter. Nothing about the visitor is stored and
no cookie is set. Whatever follows `/Q/`, the answer is a redirect, a page about the relic, or a
friendly 404 — never an error.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from wagtail.models import Page

from media_pipeline.codes import classify_device, normalize_code, pick_language
from media_pipeline.short_codes import Resolved, lookup, record_scan, url_for_path


def visitor_language(request) -> str:
    """The site language to answer in (Accept-Language), Vietnamese when none fits."""
    available = [code for code, _name in settings.LANGUAGES]
    return pick_language(request.headers.get("Accept-Language"), available, settings.LANGUAGE_CODE)


def resolve(request, raw: str):
    language = visitor_language(request)
    code = normalize_code(raw)
    found = lookup(code, language) if code else None
    with translation.override(language):
        if found is None:
            response = render(request, "404.html", status=404)
        else:
            _count(request, found)
            response = _answer(request, found, language)
    if response.status_code != 302:
        response["Content-Language"] = language
    add_never_cache_headers(response)
    return response


def _count(request, found: Resolved) -> None:
    device = classify_device(request.headers.get("User-Agent"))
    if device == "bot":
        return
    scan_language = pick_language(
        request.headers.get("Accept-Language"), settings.QR_SCAN_LANGUAGES, "other"
    )
    record_scan(found.code.pk, scan_language, device, timezone.localdate())


def _answer(request, found: Resolved, language: str):
    page = found.page
    if page is None:
        return _notice(
            request,
            found.code.page_title or _("Biển QR"),
            _("Biển QR không còn dùng"),
            _(
                "Trang thông tin mà biển QR này dẫn tới đã được gỡ khỏi trang web. Nếu bạn "
                "đang đứng trước di tích, xin báo cho chúng tôi để thay biển:"
            ),
            status=410,
        )
    if page.live:
        url_path = found.translated_url_path if found.translated_live else None
        url = url_for_path(url_path or page.url_path)
        if url:
            return HttpResponseRedirect(url)
    # Unpublished (or outside every site): the relic is there, its page is closed for now.
    name = page.title
    if found.translated_url_path:
        name = (
            Page.objects.filter(
                translation_key=page.translation_key, locale__language_code=language
            )
            .values_list("title", flat=True)
            .first()
        ) or name
    return _notice(
        request,
        name,
        _("Tạm đóng cửa"),
        _(
            "Trang thông tin về di tích này đang tạm đóng, trong thời gian tu bổ hoặc cập nhật "
            "nội dung. Mời bạn quay lại sau, hoặc liên hệ với chúng tôi:"
        ),
    )


def _notice(request, name: str, eyebrow: str, message: str, status: int = 200):
    context = {"relic_name": name, "eyebrow": eyebrow, "message": message}
    return render(request, "media_pipeline/qr_notice.html", context, status=status)

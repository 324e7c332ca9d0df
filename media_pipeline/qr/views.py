"""The plaque resolver `/Q/<code>`: count the scan, then send the visitor on in their language.

A scan costs two queries: the lookup and the counter. Nothing about the visitor is stored and
no cookie is set. Whatever follows `/Q/`, the answer is a redirect, a page about the relic, or a
friendly 404 — never an error. Redirects, nearly every scan, are answered by
QrResolverMiddleware ahead of sessions, auth and CSRF; this view answers the rest.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _

from content.languages import negotiate_language
from media_pipeline.qr.codes import classify_device, normalize_code
from media_pipeline.qr.short_codes import Resolved, lookup, record_scan


def visitor_language(request) -> str:
    """The site language to answer in (Accept-Language), Vietnamese when none fits."""
    return negotiate_language(request.META.get("HTTP_ACCEPT_LANGUAGE"))


def _scan(request, raw: str) -> tuple[str, Resolved | None]:
    """The visitor's language and the code's lookup, done once per request."""
    if not hasattr(request, "_qr_scan"):
        language, code = visitor_language(request), normalize_code(raw)
        request._qr_scan = (language, lookup(code, language) if code else None)
    return request._qr_scan


def _never_cache_control() -> str:
    """The Cache-Control value Django's add_never_cache_headers gives a fresh response."""
    probe = HttpResponse()
    add_never_cache_headers(probe)
    return probe["Cache-Control"]


_NEVER_CACHE = _never_cache_control()


def _finish(response, language: str):
    """Never cached (each scan must reach us to be counted); varies only by language."""
    if "Cache-Control" in response or "Vary" in response:
        add_never_cache_headers(response)
        patch_vary_headers(response, ["Accept-Language"])
    else:
        # A redirect made here, nearly every scan: Django's headers without parsing them again.
        response["Expires"] = http_date()
        response["Cache-Control"] = _NEVER_CACHE
        response["Vary"] = "Accept-Language"
    if response.status_code != 302:
        response["Content-Language"] = language
    return response


def redirect_for_scan(request, raw: str):
    """Count the scan and redirect to the live page in the visitor's language, or None.

    Always under the visitor's language prefix: a relic not translated yet is shown in
    Vietnamese there, with the visitor's interface and a notice (content.views.serve_page)."""
    language, found = _scan(request, raw)
    if found is None or found.page_id is None or not found.live:
        return None
    url = found.visitor_url
    if url is None:
        return None
    _count(request, found)
    return _finish(HttpResponseRedirect(url + found.fragment), language)


def resolve(request, raw: str):
    response = redirect_for_scan(request, raw)
    if response is not None:
        return response
    language, found = _scan(request, raw)
    with translation.override(language):
        if found is None:
            response = render(request, "404.html", status=404)
        else:
            _count(request, found)
            response = _notice_for(request, found)
    return _finish(response, language)


def _count(request, found: Resolved) -> None:
    """Count a person's scan: not a HEAD or a browser's speculative prefetch, not a bot."""
    meta = request.META  # request.headers would copy every header first
    if request.method != "GET" or "prefetch" in meta.get(
        "HTTP_SEC_PURPOSE", meta.get("HTTP_PURPOSE", "")
    ):
        return
    device = classify_device(meta.get("HTTP_USER_AGENT"))
    if device == "bot":
        return
    scan_language = negotiate_language(
        meta.get("HTTP_ACCEPT_LANGUAGE"), settings.QR_SCAN_LANGUAGES, "other"
    )
    record_scan(found.code_id, scan_language, device, timezone.localdate())


def _notice_for(request, found: Resolved):
    if found.page_id is None:
        return _notice(
            request,
            found.title or _("Biển QR"),
            _("Biển QR không còn dùng"),
            _(
                "Trang thông tin mà biển QR này dẫn tới đã được gỡ khỏi trang web. Nếu bạn "
                "đang đứng trước di tích, xin báo cho chúng tôi để thay biển:"
            ),
            status=410,
        )
    # Unpublished (or outside every site): the relic is there, its page is closed for now.
    return _notice(
        request,
        found.translated_title or found.title,
        _("Tạm đóng cửa"),
        _(
            "Trang thông tin về di tích này đang tạm đóng, trong thời gian tu bổ hoặc cập nhật "
            "nội dung. Mời bạn quay lại sau, hoặc liên hệ với chúng tôi:"
        ),
    )


def _notice(request, name: str, eyebrow: str, message: str, status: int = 200):
    context = {"relic_name": name, "eyebrow": eyebrow, "message": message}
    return render(request, "media_pipeline/qr/notice.html", context, status=status)

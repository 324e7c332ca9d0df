"""The visitor's posts: `/feedback/<page id>/rating/` and `/feedback/<page id>/report/`.

Answers JSON to the page's script (and to the service worker replaying an offline post), or a
small page without JavaScript. Whatever arrives, the answer is a message in the visitor's
language, never an error page: oversized bodies and missing CSRF tokens are checked here, in
that order, before the body is read.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from content.models import RelicPage
from feedback.forms import RatingForm, ReportForm
from feedback.posts import find_relic, store_rating, store_report
from feedback.ratelimit import allow_post
from feedback.signals import feedback_posted

# A comment or description (2,000 characters), the contact and the fields: far below this.
MAX_TEXT_BODY = 64 * 1024


def _answer(request, target, status: int, message: str, errors: dict | None = None, ok=False):
    if "application/json" in request.headers.get("Accept", ""):
        body = {"ok": ok, "message": message, "errors": errors or {}}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    context = {
        "page_title": _("Đánh giá và góp ý"),
        "message": message,
        "errors": errors or {},
        "ok": ok,
        "relic": RelicPage.objects.filter(pk=target.page_id).first() if target else None,
    }
    return render(request, "feedback/result.html", context, status=status)


def _body_limit(kind: str) -> int:
    if kind == "report":
        return settings.FEEDBACK_PHOTO_MAX_BYTES + MAX_TEXT_BODY
    return MAX_TEXT_BODY


def same_origin(request) -> bool:
    """Cross-site forgery check without a per-visitor token, so relic pages stay cacheable.

    A browser names the page a POST comes from in ``Origin`` (older ones in ``Referer``), and a
    page elsewhere cannot forge either; the offline queue's replay comes from our own origin too.
    """
    if getattr(request, "_dont_enforce_csrf_checks", False):  # Django's test client
        return True
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin == f"{request.scheme}://{request.get_host()}" or origin in getattr(
        settings, "CSRF_TRUSTED_ORIGINS", []
    )


@csrf_exempt  # same_origin() below, after the size, so that every refusal is a friendly message
@require_POST
def post_feedback(request, page_id: int, kind: str):
    page = find_relic(page_id)
    if page is None:
        return _answer(request, None, 404, _("Không tìm thấy di tích này trên trang web."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > _body_limit(kind):
        return _answer(
            request,
            page,
            413,
            _("Nội dung gửi quá lớn. Ảnh tối đa %(mb)d MB.")
            % {"mb": settings.FEEDBACK_PHOTO_MAX_BYTES // (1024 * 1024)},
        )
    if not same_origin(request):
        return _answer(
            request,
            page,
            403,
            _("Phiên gửi đã hết hạn hoặc trình duyệt chặn cookie. Hãy tải lại trang rồi gửi lại."),
        )
    form_class = ReportForm if kind == "report" else RatingForm
    form = form_class(request.POST, request.FILES)
    if form.is_bot:
        # The honeypot was filled: thank the bot and keep nothing.
        return _answer(request, page, 200, _("Cảm ơn bạn đã góp ý!"), ok=True)
    if not allow_post(request):
        return _answer(
            request, page, 429, _("Bạn đã gửi nhiều lần liền. Xin đợi ít phút rồi gửi lại.")
        )
    if not form.is_valid():
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return _answer(request, page, 400, first, errors)
    store = store_report if kind == "report" else store_rating
    row, created = store(form, page, get_language() or settings.LANGUAGE_CODE)
    if created:
        feedback_posted.send(sender=type(row), instance=row)
        message = (
            _("Cảm ơn bạn! Cán bộ văn hóa sẽ xem và xử lý sự cố.")
            if kind == "report"
            else _("Cảm ơn bạn đã đánh giá! Góp ý sẽ hiện sau khi được duyệt.")
        )
        return _answer(request, page, 201, message, ok=True)
    return _answer(
        request, page, 200, _("Chúng tôi đã nhận nội dung này rồi, cảm ơn bạn."), ok=True
    )

"""Plaques for pages in the database: what each says, one download, a batch in the background.

The admin view, `manage.py make_plaques` and `make_plaques_task` all come through here to the pure
renderer in media_pipeline.qr.plaques.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from wagtail.models import Page, Site

from content.models import DistrictSettings, RelicPage
from content.text import fold, strip_diacritics
from content.vocabularies import PLAQUE_RANKING_LINES, PLAQUE_RELIC_TYPES_EN
from heritage_site.jobs import keep_alive
from media_pipeline.qr.codes import plaque_host_problem
from media_pipeline.qr.models import PlaqueBatch, Purpose, ShortCode
from media_pipeline.qr.plaque_layout import Progress
from media_pipeline.qr.plaques import (
    SIZES,
    PlaqueError,
    PlaqueSize,
    PlaqueSpec,
    pdf_bytes,
    render_pdf,
    render_svg,
    render_svg_zip,
    svg_filename,
)
from media_pipeline.qr.short_codes import assign_code, url_for_code

logger = logging.getLogger(__name__)
Format = PlaqueBatch.Format

# A rating plaque says what its scan opens where the relic plaque names the ranking.
RATING_LINE = "Quét mã để đánh giá, góp ý · Scan to rate your visit"
# A "cấp tỉnh" ranking is made by the province's People's Committee, which in a centrally-run
# city is the city's: the plaque names it as the people there do.
PROVINCIAL_LINE = ("Di tích cấp tỉnh", "Provincial relic")
CITY_LINE = ("Di tích cấp thành phố", "City-level relic")
# Centrally-run cities, folded (content.text.fold), for a province name written without "Thành phố".
CENTRAL_CITIES = {"ha noi", "hai phong", "da nang", "can tho", "ho chi minh", "hue"}


ADMIN_OVERRIDE = "PLAQUE_ALLOW_UNSAFE_HOST=true"
COMMAND_OVERRIDE = "--allow-dev-host"


@dataclass(frozen=True)
class PlaqueHost:
    """The scheme and host every plaque carries (settings.PLAQUE_BASE_URL), and whether it may
    be printed: a plaque hangs for years, so a local, private or plain-http address is refused
    unless explicitly allowed (a demo), and then staff are warned before printing."""

    base_url: str
    problem: str | None
    allowed: bool

    @property
    def shown(self) -> str:
        """As printed (upper case), or a note that none is set."""
        return self.base_url.rstrip("/").upper() if self.base_url else "(chưa đặt)"

    @property
    def refused(self) -> bool:
        return self.problem is not None and not self.allowed

    @property
    def warning(self) -> str | None:
        """What staff read before printing with an address allowed only for trying things out."""
        if self.problem is None or not self.allowed:
            return None
        return (
            f"Biển QR đang mang địa chỉ {self.shown}, địa chỉ này {self.problem}. Chỉ dùng để "
            "thử nghiệm, đừng treo biển này tại di tích: biển thật cần PUBLIC_BASE_URL (hoặc "
            "PLAQUE_BASE_URL) là tên miền công khai qua HTTPS."
        )

    @property
    def admin_refusal(self) -> str:
        return self.refusal(ADMIN_OVERRIDE)

    def refusal(self, override: str = ADMIN_OVERRIDE) -> str:
        return (
            f"Chưa in biển QR: địa chỉ in trên biển ({self.shown}) {self.problem}. Biển treo "
            "nhiều năm ngoài trời, nên địa chỉ phải là tên miền công khai qua HTTPS, ví dụ "
            "https://disan.example.gov.vn. Hãy đặt PUBLIC_BASE_URL (hoặc PLAQUE_BASE_URL) trong "
            f"cấu hình máy chủ rồi khởi động lại; chỉ khi thử nghiệm mới dùng {override}."
        )


def plaque_host(allow_unsafe: bool | None = None) -> PlaqueHost:
    """The configured plaque host; ``allow_unsafe`` None reads PLAQUE_ALLOW_UNSAFE_HOST."""
    base = settings.PLAQUE_BASE_URL or ""
    if allow_unsafe is None:
        allow_unsafe = settings.PLAQUE_ALLOW_UNSAFE_HOST
    return PlaqueHost(base, plaque_host_problem(base), bool(allow_unsafe))


def check_plaque_host(
    allow_unsafe: bool | None = None, override: str = ADMIN_OVERRIDE
) -> PlaqueHost:
    """The host, or PlaqueError with a Vietnamese message when plaques must not carry it."""
    host = plaque_host(allow_unsafe)
    if host.refused:
        raise PlaqueError(host.refusal(override))
    return host


def relics_for_plaques(page_ids: Sequence[int] | None = None) -> list[Page]:
    """The pages asked for (any type), or every relic in the default language, tree order."""
    if page_ids:
        return list(Page.objects.filter(pk__in=page_ids).order_by("path").specific())
    return list(
        RelicPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path")
    )


def leave_out_unpublished(
    pages: Sequence[Page], include_unpublished: bool = False
) -> tuple[list[Page], list[Page]]:
    """(pages to print, pages left out). A page that is not live answers its plaque's scan with
    "Tạm đóng cửa" until it is published, so it is printed only when staff ask for it."""
    if include_unpublished:
        return list(pages), []
    return [p for p in pages if p.live], [p for p in pages if not p.live]


def left_out_message(left_out: Sequence[Page], how_to_include: str) -> str:
    """What staff read when relics were left out: how many, which, and how to add them."""
    names = ", ".join(f"“{p.title}”" for p in left_out[:5])
    more = f" và {len(left_out) - 5} di tích khác" if len(left_out) > 5 else ""
    return (
        f"Đã bỏ qua {len(left_out)} di tích chưa xuất bản ({names}{more}): quét biển của chúng "
        f"sẽ chỉ thấy “Tạm đóng cửa” cho đến khi xuất bản. Muốn in cả chúng: {how_to_include}."
    )


def _english_name(page: Page, english_titles: dict) -> str:
    if page.translation_key in english_titles:
        return english_titles[page.translation_key]
    name = strip_diacritics(page.title)
    kind = PLAQUE_RELIC_TYPES_EN.get(getattr(page, "relic_type", ""))
    return f"{name} ({kind})" if kind else name


def is_city(province_name: str) -> bool:
    """Whether the district's province-level unit is a centrally-run city (Hải Phòng, TP. Huế…)."""
    name = fold(province_name).replace(".", " ").split()
    if name[:2] == ["thanh", "pho"]:
        return True
    if name[:1] == ["tp"]:
        return True
    return " ".join(name) in CENTRAL_CITIES


def ranking_line(ranking: str, province_name: str = "") -> str:
    """The plaque's ranking line, Vietnamese · English; city-level in a centrally-run city."""
    if ranking == "cap_tinh":
        vietnamese, english = CITY_LINE if is_city(province_name) else PROVINCIAL_LINE
    elif ranking in PLAQUE_RANKING_LINES:
        vietnamese, english = PLAQUE_RANKING_LINES[ranking]
    else:
        return ""
    return f"{vietnamese} · {english}"


class _SiteFacts:
    """District name and logo per site, read once for a whole batch."""

    def __init__(self):
        self._roots = Site.get_site_root_paths()
        self._by_site: dict[int | None, tuple[str, str, bytes | None]] = {}

    def for_page(self, page: Page) -> tuple[str, str, bytes | None]:
        """The district line, the province's name and the logo of the page's site."""
        site_id = next(
            (r.site_id for r in self._roots if page.url_path.startswith(r.root_path)), None
        )
        if site_id not in self._by_site:
            site = (
                Site.objects.filter(pk=site_id).first()
                or Site.objects.filter(is_default_site=True).first()
            )
            self._by_site[site_id] = _district_facts(site)
        return self._by_site[site_id]


def _district_facts(site: Site | None) -> tuple[str, str, bytes | None]:
    if site is None:
        return "", "", None
    district = DistrictSettings.for_site(site)
    line = ", ".join(p for p in (district.district_name, district.province_name) if p)
    logo = None
    if district.logo_id:
        with district.logo.open_file() as fh:
            logo = fh.read()
    return line, district.province_name, logo


def plaque_specs(
    pages: Sequence[Page],
    user=None,
    purpose: str = Purpose.PAGE,
    allow_unsafe_host: bool | None = None,
) -> list[PlaqueSpec]:
    """What each page's plaque (or rating plaque) says; a page without such a code gets one.

    Every way of printing comes through here, so none prints an address visitors cannot open
    (check_plaque_host) unless it was allowed."""
    check_plaque_host(allow_unsafe_host)
    keys = {p.translation_key for p in pages}
    codes: dict = {}
    for code, key in (
        ShortCode.objects.filter(page__translation_key__in=keys, purpose=purpose)
        .order_by("-created_at", "-pk")
        .values_list("code", "page__translation_key")
    ):
        codes[key] = code  # oldest last, so it wins
    english_titles = dict(
        Page.objects.filter(translation_key__in=keys, locale__language_code="en").values_list(
            "translation_key", "title"
        )
    )
    facts = _SiteFacts()
    specs = []
    for page in pages:
        code = codes.get(page.translation_key) or assign_code(page, user, purpose).code
        district, province, logo = facts.for_page(page)
        try:
            url = url_for_code(code)
        except ValueError as exc:
            raise PlaqueError(
                f"PLAQUE_BASE_URL “{settings.PLAQUE_BASE_URL}” không hợp lệ: cần dạng "
                "https://ten-mien, không có đường dẫn phía sau."
            ) from exc
        specs.append(
            PlaqueSpec(
                name_vi=page.title,
                name_en=_english_name(page, english_titles),
                ranking=(
                    RATING_LINE
                    if purpose == Purpose.RATING
                    else ranking_line(getattr(page, "ranking", ""), province)
                ),
                district=district,
                url=url,
                logo=logo,
            )
        )
    return specs


def write_plaques(
    specs: Sequence[PlaqueSpec],
    size: PlaqueSize,
    fmt: str,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
) -> Path:
    """One PDF (a plaque per page) or a ZIP of SVGs, written atomically to `out`."""
    render = render_pdf if fmt == Format.PDF else render_svg_zip
    return render(specs, size, out, progress)


def single_plaque(
    page: Page, size: PlaqueSize, fmt: str, user=None, purpose: str = Purpose.PAGE
) -> tuple[str, str, bytes]:
    """One page's plaque in memory: (file name, content type, bytes)."""
    (spec,) = plaque_specs([page], user, purpose)
    stem = svg_filename(spec)[: -len(".svg")]
    if purpose == Purpose.RATING:
        stem += "-danh-gia"
    if fmt == Format.PDF:
        return f"{stem}.pdf", "application/pdf", pdf_bytes([spec], size)
    return f"{stem}.svg", "image/svg+xml", render_svg(spec, size)


def record_printed(pages: Sequence[Page], size: str, fmt: str, user=None) -> PlaqueBatch:
    """A finished batch row for plaques made at once (one download, `make_plaques`), so that
    the digitisation to-do list knows every relic whose plaque was made; no file is kept."""
    now = timezone.now()
    return PlaqueBatch.objects.create(
        status=PlaqueBatch.Status.DONE,
        size=size,
        format=fmt,
        page_ids=[p.pk for p in pages],
        total=len(pages),
        progress=len(pages),
        created_by=user if user is not None and user.is_authenticated else None,
        started_at=now,
        finished_at=now,
    )


def batch_filename(batch: PlaqueBatch) -> str:
    suffix = "pdf" if batch.format == Format.PDF else "zip"
    return f"bien-qr-{batch.size}-{batch.created_at:%Y%m%d}-{batch.pk}.{suffix}"


def run_batch(batch_id: int) -> PlaqueBatch:
    """Make a batch's file, recording progress on the batch as it goes; done batches are kept."""
    batch = PlaqueBatch.objects.get(pk=batch_id)
    if batch.status == PlaqueBatch.Status.DONE:
        return batch
    pages = relics_for_plaques(batch.page_ids)
    batch.status, batch.started_at, batch.error = PlaqueBatch.Status.RUNNING, timezone.now(), ""
    batch.total, batch.progress = len(pages), 0
    batch.save(update_fields=["status", "started_at", "error", "total", "progress"])
    with keep_alive(PlaqueBatch, batch.pk):
        _make(batch, pages)
    return batch


def _make(batch: PlaqueBatch, pages: list) -> None:
    step = max(1, len(pages) // 50)

    def progress(done: int, total: int) -> None:
        if done == total or done % step == 0:
            PlaqueBatch.objects.filter(pk=batch.pk).update(progress=done)

    try:
        if not pages:
            raise PlaqueError("Các di tích đã chọn không còn trên trang web.")
        specs = plaque_specs(pages, batch.created_by, batch.purpose)
        with tempfile.TemporaryDirectory(prefix="plaques-") as tmp:
            out = write_plaques(specs, SIZES[batch.size], batch.format, Path(tmp) / "out", progress)
            with out.open("rb") as fh:
                batch.file.save(batch_filename(batch), File(fh), save=False)
        batch.file_size, batch.status = batch.file.size, PlaqueBatch.Status.DONE
        batch.progress = len(pages)
    except PlaqueError as exc:
        batch.status, batch.error = PlaqueBatch.Status.FAILED, str(exc)
    except Exception:
        logger.exception("plaque batch %s failed", batch.pk)
        batch.status = PlaqueBatch.Status.FAILED
        batch.error = "Lỗi hệ thống khi tạo biển QR; đã ghi vào nhật ký máy chủ."
        batch.finished_at = timezone.now()
        batch.save(update_fields=_OUTCOME)
        raise
    batch.finished_at = timezone.now()
    batch.save(update_fields=_OUTCOME)


_OUTCOME = ["status", "error", "file", "file_size", "progress", "finished_at"]

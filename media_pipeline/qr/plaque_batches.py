"""Plaques for pages in the database: what each says, one download, a batch in the background.

The admin view, `manage.py make_plaques` and `make_plaques_task` all come through here to the pure
renderer in media_pipeline.qr.plaques.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation
from wagtail.models import Page, Site

from content.models import DistrictSettings, RelicPage
from content.text import strip_diacritics
from media_pipeline.qr.models import PlaqueBatch, ShortCode
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

# Plaques are bilingual whatever the admin's language; English words for the relic's facts.
RANKING_EN = {
    "quoc_gia_dac_biet": "Special national relic",
    "quoc_gia": "National relic",
    "cap_tinh": "Provincial/municipal relic",  # cấp tỉnh / thành phố: both kinds
    "kiem_ke": "Inventoried heritage site",
}
RELIC_TYPE_EN = {
    "dinh": "communal house",
    "chua": "pagoda",
    "den": "temple",
    "mieu": "shrine",
    "nha_tho_ho": "ancestral hall",
    "cach_mang": "revolutionary site",
    "khao_co": "archaeological site",
    "kien_truc": "architectural monument",
    "danh_lam": "scenic site",
}


def relics_for_plaques(page_ids: Sequence[int] | None = None) -> list[Page]:
    """The pages asked for (any type), or every live relic in the default language, tree order."""
    if page_ids:
        return list(Page.objects.filter(pk__in=page_ids).order_by("path").specific())
    return list(
        RelicPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
    )


def _english_name(page: Page, english_titles: dict) -> str:
    if page.translation_key in english_titles:
        return english_titles[page.translation_key]
    name = strip_diacritics(page.title)
    kind = RELIC_TYPE_EN.get(getattr(page, "relic_type", ""))
    return f"{name} ({kind})" if kind else name


def _ranking(page: Page) -> str:
    if not isinstance(page, RelicPage):
        return ""
    with translation.override("vi"):
        vietnamese = str(page.get_ranking_display())
    english = RANKING_EN.get(page.ranking)
    return f"{vietnamese} · {english}" if english else vietnamese


class _SiteFacts:
    """District name and logo per site, read once for a whole batch."""

    def __init__(self):
        self._roots = Site.get_site_root_paths()
        self._by_site: dict[int | None, tuple[str, bytes | None]] = {}

    def for_page(self, page: Page) -> tuple[str, bytes | None]:
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


def _district_facts(site: Site | None) -> tuple[str, bytes | None]:
    if site is None:
        return "", None
    district = DistrictSettings.for_site(site)
    line = ", ".join(p for p in (district.district_name, district.province_name) if p)
    logo = None
    if district.logo_id:
        with district.logo.open_file() as fh:
            logo = fh.read()
    return line, logo


def plaque_specs(pages: Sequence[Page], user=None) -> list[PlaqueSpec]:
    """What each page's plaque says; a page without a code gets one now."""
    keys = {p.translation_key for p in pages}
    codes: dict = {}
    for code, key in (
        ShortCode.objects.filter(page__translation_key__in=keys)
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
        code = codes.get(page.translation_key) or assign_code(page, user).code
        district, logo = facts.for_page(page)
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
                ranking=_ranking(page),
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


def single_plaque(page: Page, size: PlaqueSize, fmt: str, user=None) -> tuple[str, str, bytes]:
    """One page's plaque in memory: (file name, content type, bytes)."""
    (spec,) = plaque_specs([page], user)
    stem = svg_filename(spec)[: -len(".svg")]
    if fmt == Format.PDF:
        return f"{stem}.pdf", "application/pdf", pdf_bytes([spec], size)
    return f"{stem}.svg", "image/svg+xml", render_svg(spec, size)


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
    step = max(1, len(pages) // 50)

    def progress(done: int, total: int) -> None:
        if done == total or done % step == 0:
            PlaqueBatch.objects.filter(pk=batch.pk).update(progress=done)

    try:
        if not pages:
            raise PlaqueError("Các di tích đã chọn không còn trên trang web.")
        specs = plaque_specs(pages, batch.created_by)
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
        batch.save()
        raise
    batch.finished_at = timezone.now()
    batch.save()
    return batch

"""What each relic still lacks, and the figures a culture office reports: the pure core.

Facts come in as plain rows (see `progress.facts` for where they come from); this module only
counts. A relic is *digitised* when it is published with a photo, coordinates and a summary —
what a visitor needs to find it and recognise it; the other gaps make it richer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from content.text import fold

RANKED = ("quoc_gia_dac_biet", "quoc_gia", "cap_tinh")


@dataclass(frozen=True)
class RelicFacts:
    """One relic (its Vietnamese page) and what is known about its digitisation."""

    id: int
    title: str
    ward_id: int | None
    ward: str
    ranking: str
    live: bool
    has_photo: bool
    has_coordinates: bool
    has_summary: bool
    inscriptions: int = 0
    inscriptions_without_rubbing: int = 0
    inscriptions_without_translation: int = 0
    artifacts: int = 0
    artifacts_without_photo: int = 0
    artifacts_without_number: int = 0
    panoramas: int = 0
    narrations: frozenset[str] = frozenset()  # language codes with a recording
    translations: frozenset[str] = frozenset()  # language codes with a translated page
    plaque_printed: bool = False
    has_code: bool = False
    scanned: bool = False  # any of its codes was scanned at least once

    @property
    def ranked(self) -> bool:
        return self.ranking in RANKED

    @property
    def digitised(self) -> bool:
        return self.live and self.has_photo and self.has_coordinates and self.has_summary


@dataclass(frozen=True)
class Gap:
    """One thing missing, said for staff, and which screen fixes it."""

    key: str
    label: str
    fix: str  # "edit", "panorama", "narration", "translate" or "plaque"
    language: str = ""  # for "narration" and "translate"


# Column order of the to-do list and its export: (key, short heading).
GAP_KINDS = [
    ("unpublished", "Chưa xuất bản"),
    ("photo", "Ảnh đại diện"),
    ("coordinates", "Tọa độ"),
    ("summary", "Tóm tắt"),
    ("rubbing", "Di văn thiếu bản dập"),
    ("inscription_translation", "Di văn thiếu dịch nghĩa"),
    ("artifact_photo", "Hiện vật thiếu ảnh"),
    ("artifact_number", "Hiện vật thiếu số kiểm kê"),
    ("panorama", "Ảnh 360°"),
    ("narration", "Thuyết minh"),
    ("translation", "Bản dịch"),
    ("plaque", "Biển QR chưa in"),
    ("unscanned", "Biển chưa ai quét"),
]


def gaps(relic: RelicFacts, languages: Sequence[tuple[str, str]]) -> list[Gap]:
    """What the relic lacks, most basic first; `languages` are the site's (Vietnamese first)."""
    found: list[Gap] = []

    def add(key: str, label: str, fix: str = "edit", language: str = "") -> None:
        found.append(Gap(key, label, fix, language))

    if not relic.live:
        add("unpublished", "Chưa xuất bản: khách chưa xem được")
    if not relic.has_photo:
        add("photo", "Chưa có ảnh đại diện")
    if not relic.has_coordinates:
        add("coordinates", "Chưa có tọa độ: không hiện trên bản đồ")
    if not relic.has_summary:
        add("summary", "Chưa có tóm tắt")
    if relic.inscriptions_without_rubbing:
        add("rubbing", f"{relic.inscriptions_without_rubbing} di văn chưa có ảnh bản dập")
    if relic.inscriptions_without_translation:
        add(
            "inscription_translation",
            f"{relic.inscriptions_without_translation} di văn chưa có dịch nghĩa",
        )
    if relic.artifacts_without_photo:
        add("artifact_photo", f"{relic.artifacts_without_photo} hiện vật chưa có ảnh")
    if relic.artifacts_without_number:
        add("artifact_number", f"{relic.artifacts_without_number} hiện vật chưa có số kiểm kê")
    if not relic.panoramas:
        add("panorama", "Chưa có ảnh 360°", "panorama")
    for code, name in languages:
        if code not in relic.narrations:
            add("narration", f"Chưa có thuyết minh {name}", "narration", code)
    for code, name in languages[1:]:
        if code not in relic.translations:
            add("translation", f"Chưa dịch sang {name}", "translate", code)
    if not relic.plaque_printed:
        add("plaque", "Chưa in biển QR", "plaque")
    elif not relic.scanned:
        add("unscanned", "Biển QR đã in nhưng chưa ai quét: đã gắn chưa?", "plaque")
    return found


@dataclass
class LanguageCover:
    code: str
    name: str
    pages: int = 0  # relics with a page in this language (Vietnamese: every relic)
    narrations: int = 0


@dataclass
class Totals:
    """The figures for the culture office's report."""

    relics: int = 0
    live: int = 0
    digitised: int = 0
    ranked: int = 0
    ranked_with_plaque: int = 0
    plaques_printed: int = 0
    plaques_scanned: int = 0
    plaques_with_narration: int = 0
    relics_with_artifacts: int = 0
    artifacts: int = 0
    relics_with_inscriptions: int = 0
    inscriptions: int = 0
    inscriptions_with_rubbing: int = 0
    relics_with_panorama: int = 0
    languages: list[LanguageCover] = field(default_factory=list)

    @property
    def languages_covered(self) -> list[LanguageCover]:
        """Languages a visitor can read or hear about at least one relic in."""
        return [lang for lang in self.languages if lang.pages or lang.narrations]


def totals(relics: Sequence[RelicFacts], languages: Sequence[tuple[str, str]]) -> Totals:
    result = Totals(languages=[LanguageCover(code, name) for code, name in languages])
    default = languages[0][0] if languages else ""
    for relic in relics:
        result.relics += 1
        result.live += relic.live
        result.digitised += relic.digitised
        result.ranked += relic.ranked
        result.ranked_with_plaque += relic.ranked and relic.plaque_printed
        result.plaques_printed += relic.plaque_printed
        result.plaques_scanned += relic.plaque_printed and relic.scanned
        result.plaques_with_narration += relic.plaque_printed and bool(relic.narrations)
        result.relics_with_artifacts += relic.artifacts > 0
        result.artifacts += relic.artifacts
        result.relics_with_inscriptions += relic.inscriptions > 0
        result.inscriptions += relic.inscriptions
        result.inscriptions_with_rubbing += relic.inscriptions - relic.inscriptions_without_rubbing
        result.relics_with_panorama += relic.panoramas > 0
        for lang in result.languages:
            lang.pages += lang.code == default or lang.code in relic.translations
            lang.narrations += lang.code in relic.narrations
    return result


def report_lines(figures: Totals) -> list[str]:
    """Sentences a culture office can paste into its report."""
    covered = ", ".join(lang.name for lang in figures.languages_covered) or "chưa có"
    return [
        f"Số di tích đã số hóa: {figures.digitised}/{figures.relics} (đã xuất bản {figures.live}).",
        f"Di tích đã xếp hạng có biển QR: {figures.ranked_with_plaque}/{figures.ranked}.",
        f"Biển QR đã in: {figures.plaques_printed}, trong đó đã có người quét (đã gắn): "
        f"{figures.plaques_scanned}; biển có thuyết minh tự động: "
        f"{figures.plaques_with_narration}.",
        f"Hiện vật đã kiểm kê: {figures.artifacts} hiện vật tại {figures.relics_with_artifacts} "
        "di tích.",
        f"Di văn: {figures.inscriptions} tại {figures.relics_with_inscriptions} di tích, "
        f"{figures.inscriptions_with_rubbing} có ảnh bản dập.",
        f"Di tích có ảnh 360°: {figures.relics_with_panorama}.",
        f"Ngôn ngữ phục vụ khách: {len(figures.languages_covered)} ({covered}).",
    ]


@dataclass
class WardRow:
    ward_id: int | None
    ward: str
    relics: int = 0
    digitised: int = 0
    gaps: dict[str, int] = field(default_factory=dict)  # gap key → relics with that gap


def ward_rows(relics: Sequence[RelicFacts], languages: Sequence[tuple[str, str]]) -> list[WardRow]:
    """Per ward: how many relics, how many digitised, how many lack each thing; by ward name."""
    rows: dict[int | None, WardRow] = {}
    for relic in relics:
        row = rows.setdefault(relic.ward_id, WardRow(relic.ward_id, relic.ward))
        row.relics += 1
        row.digitised += relic.digitised
        for key in {gap.key for gap in gaps(relic, languages)}:
            row.gaps[key] = row.gaps.get(key, 0) + 1
    return sorted(rows.values(), key=lambda r: fold(r.ward))

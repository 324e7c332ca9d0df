"""The documented column layout of inventory spreadsheets: relics, artifacts, inscriptions.

Each column has a key (ASCII, e.g. `ma_di_tich`), the Vietnamese header written by the template and
by exports ("Mã di tích"), and aliases (English names) accepted on import. Headers are matched
after folding diacritics and case, so "MÃ DI TÍCH", "ma di tich" and "ma_di_tich" all match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal

from content.text import fold_key
from content.vocabularies import (
    ARTIFACT_CONDITION_ALIASES,
    ARTIFACT_CONDITIONS,
    INSCRIPTION_KIND_ALIASES,
    INSCRIPTION_KINDS,
    RANKING_ALIASES,
    RANKINGS,
    RELIC_TYPE_ALIASES,
    RELIC_TYPES,
)

ColumnType = Literal["text", "float", "lat", "lon", "date", "dating", "choice", "images"]


class RecordKind(StrEnum):
    RELIC = "relic"
    ARTIFACT = "artifact"
    INSCRIPTION = "inscription"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: ColumnType = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (key, Vietnamese label)
    choice_aliases: tuple[tuple[str, str], ...] = ()  # (accepted text, key)
    max_length: int | None = None  # the model field's, so the database never refuses a row
    field: str | None = None  # the model field it fills (None: handled by the import itself)

    def names(self) -> set[str]:
        """Every folded header that means this column."""
        return {fold_key(n) for n in (self.key, self.label, *self.aliases)}


@dataclass(frozen=True)
class Layout:
    kind: RecordKind
    label: str  # sheet name in the template and in exports
    sheet_names: tuple[str, ...]  # other sheet names that mean this kind
    key: tuple[str, ...]  # the columns that identify a record across imports
    columns: tuple[Column, ...]
    by_header: dict[str, str] = field(init=False, repr=False, compare=False)
    by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        mapping = {name: col.key for col in self.columns for name in col.names()}
        object.__setattr__(self, "by_header", mapping)
        object.__setattr__(self, "by_key", {col.key: col for col in self.columns})

    def column(self, key: str) -> Column:
        return self.by_key[key]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


def _choice_help(choices: tuple[tuple[str, str], ...]) -> str:
    return "Một trong: " + "; ".join(label for _, label in choices) + "."


# Columns shared by several sheets. `max_length` follows content.models (RelicPage, Artifact,
# Inscription); the Django layer maps keys to fields (docs/inventory.md).
_RELIC_CODE = Column(
    "ma_di_tich",
    "Mã di tích",
    required=True,
    aliases=("relic_code", "code", "mã"),
    help="Mã di tích trong sổ kiểm kê của huyện, không trùng nhau; "
    "nối hiện vật, di văn với di tích.",
    example="DT001",
    max_length=40,
)
_DATING = Column(
    "nien_dai",
    "Niên đại",
    type="dating",
    aliases=("dating", "date", "thời đại", "niên đại/thời gian"),
    help="Ví dụ: 12/3/1890, năm 1890, thế kỷ XVIII, cuối thế kỷ XIX, thời Lê, Cảnh Hưng năm thứ 5. "
    "Cách ghi khác vẫn được lưu nguyên văn.",
    example="thế kỷ XVIII",
    max_length=255,
)
_DIMENSIONS = Column(
    "kich_thuoc",
    "Kích thước",
    aliases=("dimensions", "size", "kích thước (cm)"),
    help="Ghi tự do, ví dụ: cao 120 cm, rộng 80 cm.",
    example="cao 120 cm, rộng 80 cm",
    max_length=255,
    field="dimensions",
)


def _images(key: str, label: str, aliases: tuple[str, ...], what: str, field: str) -> Column:
    return Column(
        key,
        label,
        type="images",
        aliases=aliases,
        help=f"{what} Tên tệp ảnh trong tệp ZIP tải lên kèm; "
        "nhiều ảnh cách nhau bằng dấu chấm phẩy.",
        example="anh-01.jpg; anh-02.jpg",
        field=field,
    )


RELIC_LAYOUT = Layout(
    kind=RecordKind.RELIC,
    label="Di tích",
    sheet_names=("di tich", "relics", "relic", "danh muc di tich"),
    key=("ma_di_tich",),
    columns=(
        _RELIC_CODE,
        Column(
            "ten",
            "Tên di tích",
            required=True,
            aliases=("name", "tên", "title"),
            help="Tên đầy đủ của di tích.",
            example="Đình Đông Khê",
            max_length=255,
            field="title",
        ),
        Column(
            "ten_khac",
            "Tên gọi khác",
            aliases=("other_names", "tên khác", "tên gọi khác"),
            help="Cách nhau bằng dấu phẩy.",
            example="Đình làng Đông Khê",
            max_length=255,
            field="other_names",
        ),
        Column(
            "loai_hinh",
            "Loại hình",
            type="choice",
            aliases=("type", "relic_type", "loại", "loại hình di tích"),
            choices=RELIC_TYPES,
            choice_aliases=RELIC_TYPE_ALIASES,
            help=_choice_help(RELIC_TYPES),
            example="Đình",
            field="relic_type",
        ),
        Column(
            "xep_hang",
            "Xếp hạng",
            type="choice",
            aliases=("ranking", "cấp xếp hạng", "hạng"),
            choices=RANKINGS,
            choice_aliases=RANKING_ALIASES,
            help=_choice_help(RANKINGS),
            example="Di tích quốc gia",
            field="ranking",
        ),
        Column(
            "so_quyet_dinh",
            "Số quyết định",
            aliases=("decision_number", "số QĐ", "quyết định số", "số quyết định xếp hạng"),
            help="Số quyết định xếp hạng.",
            example="1234/QĐ-BVHTTDL",
            max_length=100,
            field="ranking_decision_number",
        ),
        Column(
            "ngay_quyet_dinh",
            "Ngày quyết định",
            type="date",
            aliases=("decision_date", "ngày QĐ", "ngày ký"),
            help="Ngày/tháng/năm, ví dụ 15/04/2019.",
            example="15/04/2019",
            field="ranking_decision_date",
        ),
        Column(
            "phuong_xa",
            "Phường/xã",
            aliases=("ward", "phường", "xã", "phường, xã", "phường/xã/thị trấn"),
            help="Tên phường, xã hoặc thị trấn nơi có di tích, như trong hệ thống.",
            example="Phường Đông Khê",
        ),
        Column(
            "dia_chi",
            "Địa chỉ",
            aliases=("address",),
            help="Địa chỉ cụ thể.",
            example="Số 1 phố Đông Khê",
            max_length=255,
            field="address",
        ),
        Column(
            "vi_do",
            "Vĩ độ",
            type="lat",
            aliases=("lat", "latitude", "vĩ độ (WGS84)"),
            help="Độ thập phân WGS84, ví dụ 20.8561; dùng dấu chấm hoặc phẩy thập phân.",
            example="20.8561",
            field="latitude",
        ),
        Column(
            "kinh_do",
            "Kinh độ",
            type="lon",
            aliases=("lon", "lng", "longitude", "kinh độ (WGS84)"),
            help="Độ thập phân WGS84, ví dụ 106.6933.",
            example="106.6933",
            field="longitude",
        ),
        replace(_DATING, field="dating"),
        Column(
            "nhan_vat_tho",
            "Nhân vật được thờ",
            aliases=("worshipped_figures", "thờ", "nhân vật thờ"),
            help="Thành hoàng, danh nhân… được thờ tại di tích.",
            example="Thành hoàng làng",
            field="worshipped_figures",
        ),
        Column(
            "le_hoi",
            "Ngày lễ hội",
            aliases=("festival_days", "lễ hội", "ngày lễ hội (âm lịch)"),
            help="Theo âm lịch, ví dụ: Mùng 10 tháng Giêng âm lịch.",
            example="Mùng 10 tháng Giêng âm lịch",
            field="festival_days",
        ),
        Column(
            "gio_mo_cua",
            "Giờ mở cửa",
            aliases=("opening_hours",),
            help="Ví dụ: 7:00–17:00 hằng ngày.",
            example="7:00–17:00 hằng ngày",
            max_length=255,
            field="opening_hours",
        ),
        Column(
            "tom_tat",
            "Tóm tắt",
            aliases=("summary", "mô tả", "description", "giới thiệu"),
            help="Giới thiệu ngắn, tối đa 600 ký tự.",
            example="Đình thờ Thành hoàng làng, kiến trúc chữ Đinh.",
            max_length=600,
            field="summary",
        ),
        _images(
            "anh",
            "Ảnh",
            ("ảnh", "hình ảnh", "image", "images", "ảnh đại diện"),
            "Ảnh đầu là ảnh đại diện.",
            "hero_image",
        ),
    ),
)

ARTIFACT_LAYOUT = Layout(
    kind=RecordKind.ARTIFACT,
    label="Hiện vật",
    sheet_names=("hien vat", "artifacts", "artifact", "kiem ke hien vat", "danh muc hien vat"),
    key=("ma_di_tich", "so_kiem_ke"),
    columns=(
        _RELIC_CODE,
        Column(
            "so_kiem_ke",
            "Số kiểm kê",
            required=True,
            aliases=("inventory_number", "số KK", "số hiệu", "ký hiệu"),
            help="Số kiểm kê của hiện vật, không trùng trong cùng một di tích.",
            example="HV-001",
            max_length=50,
            field="inventory_number",
        ),
        Column(
            "ten",
            "Tên hiện vật",
            required=True,
            aliases=("name", "tên"),
            help="Tên hiện vật.",
            example="Bát hương gốm men lam",
            max_length=255,
            field="name",
        ),
        Column(
            "chat_lieu",
            "Chất liệu",
            aliases=("material",),
            help="Ví dụ: gỗ, đồng, đá, gốm.",
            example="Gốm",
            max_length=255,
            field="material",
        ),
        _DIMENSIONS,
        replace(_DATING, field="dating"),
        Column(
            "tinh_trang",
            "Tình trạng",
            type="choice",
            aliases=("condition", "hiện trạng", "tình trạng bảo quản"),
            choices=ARTIFACT_CONDITIONS,
            choice_aliases=ARTIFACT_CONDITION_ALIASES,
            help=_choice_help(ARTIFACT_CONDITIONS),
            example="Tốt",
            field="condition",
        ),
        Column(
            "mo_ta",
            "Mô tả",
            aliases=("description", "mô tả chi tiết"),
            help="Mô tả chi tiết; được xuống dòng trong ô.",
            example="Men lam vẽ hoa sen, miệng loe.",
            field="description",
        ),
        _images(
            "anh",
            "Ảnh",
            ("ảnh", "hình ảnh", "image", "images"),
            "Ảnh đầu là ảnh chính, các ảnh sau vào “ảnh khác”.",
            "image",
        ),
    ),
)

INSCRIPTION_LAYOUT = Layout(
    kind=RecordKind.INSCRIPTION,
    label="Di văn",
    sheet_names=("van bia", "han nom", "inscriptions", "inscription", "van tu", "di van"),
    key=("ma_di_tich", "so_kiem_ke"),
    columns=(
        _RELIC_CODE,
        Column(
            "so_kiem_ke",
            "Số kiểm kê",
            required=True,
            aliases=("inventory_number", "số KK", "ký hiệu", "số hiệu"),
            help="Số kiểm kê hoặc ký hiệu, không trùng trong cùng một di tích.",
            example="VB-01",
            max_length=50,
            field="inventory_number",
        ),
        Column(
            "loai",
            "Loại",
            type="choice",
            aliases=("kind", "loại di văn", "thể loại"),
            choices=INSCRIPTION_KINDS,
            choice_aliases=INSCRIPTION_KIND_ALIASES,
            help=_choice_help(INSCRIPTION_KINDS) + " Để trống là Văn bia.",
            example="Văn bia",
            field="kind",
        ),
        Column(
            "ten",
            "Tên gọi",
            required=True,
            aliases=("title", "tên", "tiêu đề", "tên văn bản", "tên bia"),
            help="Tên hoặc tiêu đề (thường là dòng trán bia).",
            example="Hậu thần bi ký",
            max_length=255,
            field="title",
        ),
        Column(
            "nguyen_van",
            "Nguyên văn Hán Nôm",
            aliases=("original_text", "original", "han_nom", "nguyên văn", "chữ Hán Nôm"),
            help="Nguyên văn chữ Hán Nôm (Unicode).",
            example="後神碑記",
            field="original_text",
        ),
        Column(
            "phien_am",
            "Phiên âm",
            aliases=("transliteration", "phiên âm Hán Việt"),
            help="Phiên âm Hán Việt.",
            example="Hậu thần bi ký",
            field="transliteration",
        ),
        Column(
            "dich_nghia",
            "Dịch nghĩa",
            aliases=("translation", "bản dịch"),
            help="Bản dịch tiếng Việt.",
            example="Bia ghi việc bầu hậu thần",
            field="translation",
        ),
        replace(_DATING, field="dating"),
        _DIMENSIONS,
        Column(
            "vi_tri",
            "Vị trí",
            aliases=("position", "location", "vị trí đặt", "vị trí trong di tích"),
            help="Nơi đặt trong di tích.",
            example="Bên trái tiền đường",
            max_length=255,
            field="position",
        ),
        _images(
            "anh_ban_dap",
            "Ảnh bản dập",
            ("rubbing_image", "bản dập", "ảnh rập"),
            "Ảnh bản dập (thác bản).",
            "rubbing_image",
        ),
        _images(
            "anh",
            "Ảnh hiện trạng",
            ("photo", "ảnh", "hình ảnh", "image"),
            "Ảnh chụp hiện trạng.",
            "photo",
        ),
    ),
)

LAYOUTS: dict[RecordKind, Layout] = {
    layout.kind: layout for layout in (RELIC_LAYOUT, ARTIFACT_LAYOUT, INSCRIPTION_LAYOUT)
}
# Relics first: artifacts and inscriptions name relics by code.
IMPORT_ORDER: tuple[RecordKind, ...] = (
    RecordKind.RELIC,
    RecordKind.ARTIFACT,
    RecordKind.INSCRIPTION,
)
# Columns dropped without a word: row numbers, and the error column of a file of rejected rows.
IGNORED_HEADERS = frozenset({"stt", "tt", "so_thu_tu", "no", "loi", "errors"})
ERROR_COLUMN_LABEL = "Lỗi"
DOC_SHEET_LABEL = "Hướng dẫn"


@dataclass(frozen=True)
class HeaderMap:
    """Where each known column sits in a header row."""

    positions: dict[str, int]  # column key → 0-based index
    unknown: tuple[str, ...]  # headers we do not know (ignored, reported once)
    duplicates: tuple[str, ...]  # keys that appear in two header cells
    missing_required: tuple[str, ...]  # labels of required columns not found


def map_header(layout: Layout, cells: Sequence[object]) -> HeaderMap:
    """Match a header row against a layout; blank trailing cells are ignored."""
    positions: dict[str, int] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        folded = fold_key(text)
        key = layout.by_header.get(folded)
        if key is None:
            if folded not in IGNORED_HEADERS:
                unknown.append(text)
        elif key in positions:
            duplicates.append(layout.column(key).label)
        else:
            positions[key] = index
    missing = tuple(c.label for c in layout.required if c.key not in positions)
    return HeaderMap(positions, tuple(unknown), tuple(duplicates), missing)


def header_score(layout: Layout, cells: Iterable[object]) -> int:
    """How many cells of a row are headers of this layout."""
    return sum(
        1
        for cell in cells
        if cell is not None and fold_key(str(cell)) in layout.by_header and str(cell).strip()
    )


def guess_kind(sheet_name: str | None, header_cells: Sequence[object]) -> RecordKind | None:
    """The record kind a sheet holds: by its name first, then by the columns it has."""
    if sheet_name:
        folded = fold_key(sheet_name).replace("_", " ")
        for layout in LAYOUTS.values():
            if folded in layout.sheet_names or fold_key(layout.label) == fold_key(sheet_name):
                return layout.kind
    keys = {fold_key(str(c)) for c in header_cells if c is not None and str(c).strip()}
    if fold_key("Số kiểm kê") not in keys and "inventory_number" not in keys:
        return RecordKind.RELIC if header_score(RELIC_LAYOUT, header_cells) >= 2 else None
    # Artifacts and inscriptions share code and number; the rest of the columns decide.
    artifact = header_score(ARTIFACT_LAYOUT, header_cells)
    inscription = header_score(INSCRIPTION_LAYOUT, header_cells)
    return RecordKind.INSCRIPTION if inscription > artifact else RecordKind.ARTIFACT


def layout_markdown() -> str:
    """The column tables of docs/inventory.md, generated so the document cannot drift."""
    lines: list[str] = []
    for layout in LAYOUTS.values():
        lines += [f"### Trang “{layout.label}”", ""]
        lines += [
            "| Cột | Bắt buộc | Tên khác được nhận | Cách ghi | Ví dụ | Trường |",
            "|---|---|---|---|---|---|",
        ]
        for c in layout.columns:
            names = ", ".join(f"`{n}`" for n in (c.key, *c.aliases))
            required = "có" if c.required else ""
            field_name = f"`{c.field}`" if c.field else ""
            lines.append(
                f"| {c.label} | {required} | {names} | {c.help} | {c.example} | {field_name} |"
            )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m content.inventory.columns > the tables for the docs
    import sys

    sys.stdout.write(layout_markdown())

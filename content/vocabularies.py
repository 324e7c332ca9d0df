"""The relic vocabularies: ranking, relic type, inscription kind, artifact condition.

Each term has a key and a Vietnamese label (`content.choices` builds the model choices from them),
and the other ways inventories and geodata name it. Free of Django, so the pure inventory and
geodata importers and the benchmarks can use it.
"""

from __future__ import annotations

from typing import TypeVar

Choices = tuple[tuple[str, str], ...]  # (key, label as the admin shows it)
Aliases = tuple[tuple[str, str], ...]  # (text accepted on import, key)
T = TypeVar("T")


def _(label: str) -> str:
    """Marks a label for makemessages; content.choices translates it for visitors."""
    return label


def _checked(choices: Choices, words: dict[str, T]) -> dict[str, T]:
    """`words` as given; a key that is not in the vocabulary fails at import."""
    unknown = set(words) - {key for key, _label in choices}
    if unknown:
        raise ValueError(f"not in the vocabulary: {sorted(unknown)}")
    return words


def _shorter(choices: Choices, shorter: dict[str, str]) -> dict[str, str]:
    """{key: label}, with the shorter label where one is given; an unknown key fails at import."""
    _checked(choices, shorter)
    return {key: shorter.get(key, label) for key, label in choices}


RANKINGS: Choices = (
    ("quoc_gia_dac_biet", _("Di tích quốc gia đặc biệt")),
    ("quoc_gia", _("Di tích quốc gia")),
    ("cap_tinh", _("Di tích cấp tỉnh / thành phố")),
    ("kiem_ke", _("Đã kiểm kê (chưa xếp hạng)")),
)
RANKING_ALIASES: Aliases = (
    ("Quốc gia đặc biệt", "quoc_gia_dac_biet"),
    ("Cấp quốc gia đặc biệt", "quoc_gia_dac_biet"),
    ("QGĐB", "quoc_gia_dac_biet"),
    ("Quốc gia", "quoc_gia"),
    ("Cấp quốc gia", "quoc_gia"),
    ("Cấp tỉnh/thành phố", "cap_tinh"),
    ("Cấp tỉnh", "cap_tinh"),
    ("Cấp thành phố", "cap_tinh"),
    ("Cấp TP", "cap_tinh"),
    ("Tỉnh", "cap_tinh"),
    ("Thành phố", "cap_tinh"),
    ("Đã kiểm kê", "kiem_ke"),
    ("Kiểm kê", "kiem_ke"),
    ("Chưa xếp hạng", "kiem_ke"),
    ("national special", "quoc_gia_dac_biet"),
    ("national", "quoc_gia"),
    ("provincial", "cap_tinh"),
    ("inventoried", "kiem_ke"),
)
# Words that name a ranking inside free text (geodata attributes), as content.text.fold_key
# writes them, tried in this order: the more specific first.
RANKING_WORDS: Aliases = (
    ("dac_biet", "quoc_gia_dac_biet"),
    ("qgdb", "quoc_gia_dac_biet"),
    ("quoc_gia", "quoc_gia"),
    ("qg", "quoc_gia"),
    ("tinh", "cap_tinh"),
    ("thanh_pho", "cap_tinh"),
    ("tp", "cap_tinh"),
    ("kiem_ke", "kiem_ke"),
    ("chua_xep_hang", "kiem_ke"),
)
# Where space is tight: the map's legend and filters, the geodata import's messages.
RANKING_SHORT_LABELS = _shorter(
    RANKINGS,
    {
        "quoc_gia_dac_biet": "Quốc gia đặc biệt",
        "quoc_gia": "Quốc gia",
        "cap_tinh": "Cấp tỉnh/thành phố",
        "kiem_ke": "Đã kiểm kê",
    },
)
RELIC_TYPES: Choices = (
    ("dinh", _("Đình")),
    ("chua", _("Chùa")),
    ("den", _("Đền")),
    ("mieu", _("Miếu")),
    ("nha_tho_ho", _("Nhà thờ họ")),
    ("cach_mang", _("Di tích cách mạng / địa chỉ đỏ")),
    ("khao_co", _("Di tích khảo cổ")),
    ("kien_truc", _("Kiến trúc nghệ thuật")),
    ("danh_lam", _("Danh lam thắng cảnh")),
    ("khac", _("Loại khác")),
)
RELIC_TYPE_ALIASES: Aliases = (
    ("Đình làng", "dinh"),
    ("Nhà thờ", "nha_tho_ho"),
    ("Từ đường", "nha_tho_ho"),
    ("Di tích cách mạng", "cach_mang"),
    ("Địa chỉ đỏ", "cach_mang"),
    ("Lịch sử cách mạng", "cach_mang"),
    ("Di tích lịch sử cách mạng", "cach_mang"),
    ("Khảo cổ", "khao_co"),
    ("Kiến trúc", "kien_truc"),
    ("Kiến trúc nghệ thuật", "kien_truc"),
    ("Danh thắng", "danh_lam"),
    ("Khác", "khac"),
    ("communal house", "dinh"),
    ("pagoda", "chua"),
    ("temple", "den"),
    ("shrine", "mieu"),
    ("ancestral hall", "nha_tho_ho"),
    ("revolutionary", "cach_mang"),
    ("archaeological", "khao_co"),
    ("architectural", "kien_truc"),
    ("scenic", "danh_lam"),
    ("other", "khac"),
)
# As RANKING_WORDS: "Nhà thờ họ" before "Chùa", "Di tích cách mạng" before "Đình".
RELIC_TYPE_WORDS: Aliases = (
    ("nha_tho_ho", "nha_tho_ho"),
    ("tu_duong", "nha_tho_ho"),
    ("cach_mang", "cach_mang"),
    ("dia_chi_do", "cach_mang"),
    ("khao_co", "khao_co"),
    ("kien_truc", "kien_truc"),
    ("danh_lam", "danh_lam"),
    ("thang_canh", "danh_lam"),
    ("dinh", "dinh"),
    ("chua", "chua"),
    ("den", "den"),
    ("mieu", "mieu"),
)
RELIC_TYPE_SHORT_LABELS = _shorter(
    RELIC_TYPES,
    {"cach_mang": "Di tích cách mạng", "khao_co": "Khảo cổ", "khac": "Khác"},
)

# Plaques are bilingual whatever the admin's language: the English words they print beside the
# Vietnamese. "cap_tinh" is left to the plaque, which says "provincial" or "city-level" by place.
PLAQUE_RANKING_LINES = _checked(
    RANKINGS,
    {
        "quoc_gia_dac_biet": ("Di tích quốc gia đặc biệt", "Special national relic"),
        "quoc_gia": ("Di tích quốc gia", "National relic"),
        "kiem_ke": ("Di tích đã kiểm kê", "Inventoried heritage site"),
    },
)
PLAQUE_RELIC_TYPES_EN = _checked(
    RELIC_TYPES,
    {
        "dinh": "communal house",
        "chua": "pagoda",
        "den": "temple",
        "mieu": "shrine",
        "nha_tho_ho": "ancestral hall",
        "cach_mang": "revolutionary site",
        "khao_co": "archaeological site",
        "kien_truc": "architectural monument",
        "danh_lam": "scenic site",
    },
)
INSCRIPTION_KINDS: Choices = (
    ("van_bia", _("Văn bia")),
    ("hoanh_phi", _("Hoành phi")),
    ("cau_doi", _("Câu đối")),
    ("sac_phong", _("Sắc phong")),
    ("chuong", _("Chuông")),
    ("khac", _("Loại khác")),
)
INSCRIPTION_KIND_ALIASES: Aliases = (
    ("Bia", "van_bia"),
    ("Bia đá", "van_bia"),
    ("Chuông đồng", "chuong"),
    ("Đại tự", "hoanh_phi"),
    ("Khác", "khac"),
    ("stele", "van_bia"),
    ("board", "hoanh_phi"),
    ("parallel sentences", "cau_doi"),
    ("royal decree", "sac_phong"),
    ("bell", "chuong"),
    ("other", "khac"),
)
ARTIFACT_CONDITIONS: Choices = (
    ("tot", _("Tốt")),
    ("kha", _("Khá")),
    ("xuong_cap", _("Xuống cấp")),
    ("hu_hong", _("Hư hỏng nặng")),
)
ARTIFACT_CONDITION_ALIASES: Aliases = (
    ("Còn tốt", "tot"),
    ("Nguyên vẹn", "tot"),
    ("Bình thường", "kha"),
    ("Trung bình", "kha"),
    ("Còn khá", "kha"),
    ("Xuống cấp nhẹ", "xuong_cap"),
    ("Hư hỏng", "hu_hong"),
    ("Hỏng", "hu_hong"),
    ("Hư hỏng nặng", "hu_hong"),
    ("good", "tot"),
    ("fair", "kha"),
    ("worn", "xuong_cap"),
    ("damaged", "hu_hong"),
)

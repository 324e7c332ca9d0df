"""Fixed vocabularies as spreadsheets write them: the keys and labels of `content.choices`,
plus the other ways inventories name the same thing. Kept free of Django; a test keeps the keys
and labels in step with the models' choices.
"""

from __future__ import annotations

Choices = tuple[tuple[str, str], ...]  # (key, label as the admin shows it)
Aliases = tuple[tuple[str, str], ...]  # (text accepted on import, key)

RANKINGS: Choices = (
    ("quoc_gia_dac_biet", "Di tích quốc gia đặc biệt"),
    ("quoc_gia", "Di tích quốc gia"),
    ("cap_tinh", "Di tích cấp tỉnh / thành phố"),
    ("kiem_ke", "Đã kiểm kê (chưa xếp hạng)"),
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
RELIC_TYPES: Choices = (
    ("dinh", "Đình"),
    ("chua", "Chùa"),
    ("den", "Đền"),
    ("mieu", "Miếu"),
    ("nha_tho_ho", "Nhà thờ họ"),
    ("cach_mang", "Di tích cách mạng / địa chỉ đỏ"),
    ("khao_co", "Di tích khảo cổ"),
    ("kien_truc", "Kiến trúc nghệ thuật"),
    ("danh_lam", "Danh lam thắng cảnh"),
    ("khac", "Loại khác"),
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
INSCRIPTION_KINDS: Choices = (
    ("van_bia", "Văn bia"),
    ("hoanh_phi", "Hoành phi"),
    ("cau_doi", "Câu đối"),
    ("sac_phong", "Sắc phong"),
    ("chuong", "Chuông"),
    ("khac", "Loại khác"),
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
    ("tot", "Tốt"),
    ("kha", "Khá"),
    ("xuong_cap", "Xuống cấp"),
    ("hu_hong", "Hư hỏng nặng"),
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

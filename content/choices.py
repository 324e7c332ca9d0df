"""Fixed vocabularies of the heritage domain, labelled in Vietnamese."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RelicType(models.TextChoices):
    DINH = "dinh", _("Đình")
    CHUA = "chua", _("Chùa")
    DEN = "den", _("Đền")
    MIEU = "mieu", _("Miếu")
    NHA_THO_HO = "nha_tho_ho", _("Nhà thờ họ")
    CACH_MANG = "cach_mang", _("Di tích cách mạng / địa chỉ đỏ")
    KHAO_CO = "khao_co", _("Di tích khảo cổ")
    KIEN_TRUC = "kien_truc", _("Kiến trúc nghệ thuật")
    DANH_LAM = "danh_lam", _("Danh lam thắng cảnh")
    KHAC = "khac", _("Loại khác")


class Ranking(models.TextChoices):
    QUOC_GIA_DAC_BIET = "quoc_gia_dac_biet", _("Di tích quốc gia đặc biệt")
    QUOC_GIA = "quoc_gia", _("Di tích quốc gia")
    CAP_TINH = "cap_tinh", _("Di tích cấp tỉnh / thành phố")
    KIEM_KE = "kiem_ke", _("Đã kiểm kê (chưa xếp hạng)")


class InscriptionKind(models.TextChoices):
    VAN_BIA = "van_bia", _("Văn bia")
    HOANH_PHI = "hoanh_phi", _("Hoành phi")
    CAU_DOI = "cau_doi", _("Câu đối")
    SAC_PHONG = "sac_phong", _("Sắc phong")
    CHUONG = "chuong", _("Chuông")
    KHAC = "khac", _("Loại khác")


class ArtifactCondition(models.TextChoices):
    TOT = "tot", _("Tốt")
    KHA = "kha", _("Khá")
    XUONG_CAP = "xuong_cap", _("Xuống cấp")
    HU_HONG = "hu_hong", _("Hư hỏng nặng")


class PlaceKind(models.TextChoices):
    RESTAURANT = "restaurant", _("Nhà hàng, ăn uống")
    HOTEL = "hotel", _("Khách sạn, lưu trú")
    ENTERTAINMENT = "entertainment", _("Vui chơi, giải trí")
    SERVICE = "service", _("Dịch vụ")
    OTHER = "other", _("Khác")


class WardKind(models.TextChoices):
    PHUONG = "phuong", _("Phường")
    XA = "xa", _("Xã")
    THI_TRAN = "thi_tran", _("Thị trấn")

"""The model choices of the heritage domain, labelled in Vietnamese and translated for visitors."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from content import vocabularies


def _choices(name: str, choices: vocabularies.Choices) -> type[models.TextChoices]:
    """Choices whose members are the keys in capitals: `RelicType.DINH == "dinh"`."""
    members = [(key.upper(), (key, _(label))) for key, label in choices]
    return models.TextChoices(name, members, module=__name__)


# Keys, labels (marked there for makemessages) and the other ways imports name these terms:
# content.vocabularies.
RelicType = _choices("RelicType", vocabularies.RELIC_TYPES)
Ranking = _choices("Ranking", vocabularies.RANKINGS)
InscriptionKind = _choices("InscriptionKind", vocabularies.INSCRIPTION_KINDS)
ArtifactCondition = _choices("ArtifactCondition", vocabularies.ARTIFACT_CONDITIONS)


class PlaceKind(models.TextChoices):
    """The tourism directory's categories: where to eat, stay and go, and what to take home."""

    RESTAURANT = "restaurant", _("Nhà hàng, ăn uống")
    HOTEL = "hotel", _("Khách sạn, lưu trú")
    ENTERTAINMENT = "entertainment", _("Vui chơi, giải trí")
    PRODUCT = "product", _("Đặc sản, sản phẩm OCOP")
    SERVICE = "service", _("Dịch vụ")
    OTHER = "other", _("Khác")


# OCOP (One Commune One Product) ratings; only 3 stars and above are certified products.
OCOP_STARS = [(3, _("OCOP 3 sao")), (4, _("OCOP 4 sao")), (5, _("OCOP 5 sao"))]


class WardKind(models.TextChoices):
    PHUONG = "phuong", _("Phường")
    XA = "xa", _("Xã")
    THI_TRAN = "thi_tran", _("Thị trấn")

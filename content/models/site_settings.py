"""District-wide settings that staff edit in the admin (Cài đặt → Thông tin huyện)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from content.models.pages import IMAGE_FK
from heritage_site.memo import RememberedSiteSetting


@register_setting(icon="site")
class DistrictSettings(RememberedSiteSetting, BaseSiteSetting):
    """The district's name, logo and contact, shown on every page and on QR plaques."""

    district_name = models.CharField(_("tên huyện / quận"), max_length=255, default="Huyện mẫu")
    province_name = models.CharField(_("tỉnh / thành phố"), max_length=255, blank=True)
    office_name = models.CharField(
        _("cơ quan quản lý"), max_length=255, default="Phòng Văn hóa và Thông tin"
    )
    logo = models.ForeignKey(verbose_name=_("biểu trưng"), **IMAGE_FK)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=40, blank=True)
    contact_email = models.EmailField(_("thư điện tử liên hệ"), blank=True)
    contact_address = models.CharField(_("địa chỉ liên hệ"), max_length=255, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("district_name"), FieldPanel("province_name"), FieldPanel("logo")],
            heading=_("Huyện"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("office_name"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("contact_address"),
            ],
            heading=_("Liên hệ"),
        ),
    ]

    class Meta:
        verbose_name = _("thông tin huyện")

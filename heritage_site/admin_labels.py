"""Labels for Wagtail admin form fields that have none, so Django shows the English field name.

Wagtail's login form and rich-text link choosers leave `label` unset; Django then prints
`pretty_name("password")` ("Password"), which no translation catalogue can reach.
"""

from importlib import import_module

from django.utils.translation import gettext_lazy as _

# (module, form class, field) -> label. Our msgids are Vietnamese, like the rest of our code.
LABELS = {
    ("wagtail.admin.forms.auth", "LoginForm", "password"): _("Mật khẩu"),
    ("wagtail.admin.forms.choosers", "ExternalLinkChooserForm", "link_text"): _("Chữ hiển thị"),
    ("wagtail.admin.forms.choosers", "AnchorLinkChooserForm", "link_text"): _("Chữ hiển thị"),
    ("wagtail.admin.forms.choosers", "EmailLinkChooserForm", "email_address"): _("Địa chỉ email"),
    ("wagtail.admin.forms.choosers", "EmailLinkChooserForm", "link_text"): _("Chữ hiển thị"),
    ("wagtail.admin.forms.choosers", "EmailLinkChooserForm", "subject"): _("Tiêu đề thư"),
    ("wagtail.admin.forms.choosers", "EmailLinkChooserForm", "body"): _("Nội dung thư"),
    ("wagtail.admin.forms.choosers", "PhoneLinkChooserForm", "phone_number"): _("Số điện thoại"),
    ("wagtail.admin.forms.choosers", "PhoneLinkChooserForm", "link_text"): _("Chữ hiển thị"),
}


def label_wagtail_forms() -> None:
    """Give the unlabelled fields a translatable label; leave any label Wagtail sets itself."""
    for (module, form_name, field_name), label in LABELS.items():
        field = getattr(import_module(module), form_name).base_fields[field_name]
        if field.label is None:
            field.label = label

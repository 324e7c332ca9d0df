"""The visitor's forms: a rating with a comment, a report with a photo; both with an optional
contact that needs consent. Every message is in the visitor's language."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    CLIENT_KEY_MAX,
    COMMENT_MAX_CHARS,
    CONTACT_MAX_CHARS,
    ReportKind,
)
from feedback.photos import PhotoRejected, clean_photo

SCORES = [(n, str(n)) for n in range(1, 6)]
CLIENT_KEY_RE = re.compile(rf"^[A-Za-z0-9_-]{{8,{CLIENT_KEY_MAX}}}$")
# Comments are plain text: markup or script links are refused (and escaped wherever shown).
MARKUP_RE = re.compile(r"<\s*[a-zA-Z/!?]|(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
PHONE_RE = re.compile(r"^\+?[0-9 .()-]{8,20}$")
TOO_LONG = _("Nội dung dài quá: tối đa %(limit_value)d ký tự (bạn viết %(show_value)d).")


def plain_text(value: str, field_label) -> str:
    if MARKUP_RE.search(value):
        raise ValidationError(
            _("%(field)s chỉ nhận chữ thường, không nhận mã HTML hay liên kết “javascript:”.")
            % {"field": field_label}
        )
    return value


class VisitorPostForm(forms.Form):
    """Fields every visitor post has: the phone's key, the honeypot and the contact."""

    client_key = forms.CharField(required=False, max_length=CLIENT_KEY_MAX)
    # Hidden from people (off-screen, aria-hidden, no tab stop); bots fill it in.
    website = forms.CharField(required=False)
    contact = forms.CharField(
        required=False,
        max_length=CONTACT_MAX_CHARS,
        error_messages={"max_length": _("Số điện thoại hoặc e-mail dài quá.")},
    )
    contact_consent = forms.BooleanField(required=False)

    def clean_client_key(self) -> str:
        key = self.cleaned_data["client_key"].strip()
        if key and not CLIENT_KEY_RE.match(key):
            raise ValidationError(_("Mã gửi không hợp lệ; hãy tải lại trang rồi gửi lại."))
        return key

    def clean_contact(self) -> str:
        contact = self.cleaned_data["contact"].strip()
        if not contact:
            return ""
        if "@" in contact:
            try:
                validate_email(contact)
            except ValidationError:
                raise ValidationError(_("Địa chỉ e-mail không hợp lệ.")) from None
        elif not PHONE_RE.match(contact) or sum(c.isdigit() for c in contact) < 8:
            raise ValidationError(_("Hãy ghi số điện thoại (8–15 chữ số) hoặc một địa chỉ e-mail."))
        return contact

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact") and not cleaned.get("contact_consent"):
            self.add_error(
                "contact_consent",
                _("Hãy đánh dấu ô đồng ý nếu muốn để lại liên hệ, hoặc xoá liên hệ đi."),
            )
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class RatingForm(VisitorPostForm):
    score = forms.TypedChoiceField(
        choices=SCORES,
        coerce=int,
        error_messages={
            "required": _("Hãy chọn số sao, từ 1 đến 5."),
            "invalid_choice": _("Số sao phải từ 1 đến 5."),
        },
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_CHARS,
        strip=True,
        error_messages={"max_length": TOO_LONG},
    )

    def clean_comment(self) -> str:
        return plain_text(self.cleaned_data["comment"], _("Góp ý"))


class ReportForm(VisitorPostForm):
    kind = forms.ChoiceField(
        choices=ReportKind.choices,
        error_messages={
            "required": _("Hãy chọn loại sự cố."),
            "invalid_choice": _("Hãy chọn loại sự cố."),
        },
    )
    description = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_CHARS,
        error_messages={"max_length": TOO_LONG},
    )
    photo = forms.FileField(
        required=False,
        error_messages={"empty": _("Tệp ảnh rỗng."), "invalid": _("Không đọc được tệp ảnh.")},
    )

    def clean_description(self) -> str:
        return plain_text(self.cleaned_data["description"], _("Phần mô tả"))

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return clean_photo(
                upload.file,
                upload.size,
                settings.FEEDBACK_PHOTO_MAX_BYTES,
                settings.FEEDBACK_PHOTO_MAX_PIXELS,
            )
        except PhotoRejected as exc:
            raise ValidationError(str(exc)) from None

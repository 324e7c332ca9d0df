"""Two-factor login for staff: a TOTP code from an authenticator app, on django-otp.

Optional for each staff member (Tài khoản → "Xác thực hai bước"); required for superusers and
the groups in STAFF_2FA_REQUIRED_GROUPS when STAFF_2FA_REQUIRED is on. After the password, a
member with a confirmed device is asked for the 6-digit code; one who must have a device and has
none is sent to set one up. django-otp keeps the device (a secret key per member) and throttles
wrong codes itself; our part is this small step in Vietnamese.

wagtail-2fa (1.8) would do the same, but its menu items and messages are English-only text in
its Python code; django-otp's models, `match_token` and `login` are the maintained core used here.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Ứng dụng xác thực"
# Pages a member reaches before the code: the step itself, signing out, the admin's scripts.
_OPEN = re.compile(r"^/admin/(login|logout|xac-thuc-hai-buoc|jsi18n|sprite)")


def required_for(user) -> bool:
    """Must this member use a second factor?"""
    if not settings.STAFF_2FA_REQUIRED:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.STAFF_2FA_REQUIRED_GROUPS).exists()


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: no admin page before the code (or the setup)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is not None
            and user.is_authenticated
            and path.startswith("/admin/")
            and not _OPEN.match(path)
            and not user.is_verified()
        ):
            if django_otp.user_has_device(user, confirmed=True):
                return _to("two_factor_verify", path)
            if required_for(user):
                return _to("two_factor_setup", path)
        return self.get_response(request)


def _to(name: str, next_path: str):
    return redirect(f"{reverse(name)}?{urlencode({'next': next_path})}")


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Mã xác thực (6 chữ số)",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not code.isdigit():
            raise forms.ValidationError("Mã chỉ gồm chữ số, ví dụ 123456.")
        return code


WRONG_CODE = "Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trong ứng dụng."


@sensitive_post_parameters("code")
@never_cache
def verify(request):
    """The step after the password: the code from the member's authenticator app."""
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        form.add_error("code", WRONG_CODE)
    context = {"form": form, "next": _next(request), "page_title": "Xác thực hai bước"}
    return render(request, "heritage_site/admin/two_factor_verify.html", context)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@sensitive_post_parameters("code")
@never_cache
def setup(request):
    """Add an authenticator app (scan the QR code, type a code to confirm), or turn it off."""
    user = request.user
    if not user.is_authenticated:
        return redirect("wagtailadmin_login")
    confirmed = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if confirmed is not None:
        if not user.is_verified():  # the code first, then the device may be changed
            return _to("two_factor_verify", request.path)
        return _manage(request, confirmed)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None or request.method == "GET":
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            messages.success(request, "Đã bật xác thực hai bước cho tài khoản của bạn.")
            return redirect(_next(request))
        form.add_error("code", WRONG_CODE)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    context = {
        "form": form,
        "next": _next(request),
        "qr": mark_safe(_qr_svg(device.config_url)),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": required_for(user),
        "page_title": "Bật xác thực hai bước",
    }
    return render(request, "heritage_site/admin/two_factor_setup.html", context)


def _manage(request, device):
    required = required_for(request.user)
    if request.method == "POST" and request.POST.get("action") == "turn-off" and not required:
        TOTPDevice.objects.filter(user=request.user).delete()
        messages.success(request, "Đã tắt xác thực hai bước.")
        return redirect("wagtailadmin_account")
    context = {"device": device, "required": required, "page_title": "Xác thực hai bước"}
    return render(request, "heritage_site/admin/two_factor_manage.html", context)

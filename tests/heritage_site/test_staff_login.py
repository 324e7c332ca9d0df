"""Staff login: throttled by django-axes (no IP address kept), optional two-factor codes."""

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = "/admin/login/"
PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("bientap", "bt@example.vn", PASSWORD)


def _login(client, password, address="203.0.113.7"):
    data = {"username": "bientap", "password": password}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_wrong_passwords_lock_that_client_out_in_vietnamese(client, editor):
    from axes.models import AccessAttempt

    for _ in range(2):
        assert _login(client, "sai").status_code == 200  # the form again, with its error
    locked = _login(client, "sai")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "đang bị tạm khóa" in page and "sai mật khẩu 3 lần" in page and "15 phút" in page
    # Even the right password is refused from there, for now.
    assert _login(client, PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302
    # The editor at their own desk is not locked out by someone else's guesses.
    elsewhere = _login(client, PASSWORD, address="198.51.100.20")
    assert elsewhere.status_code == 302 and client.get("/admin/").status_code == 200
    # No IP address is kept: the client is a keyed pseudonym.
    stored = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert stored and not stored & {"203.0.113.7", "198.51.100.20"}
    assert all(address.startswith("fd") for address in stored)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_failed_login_records_go_when_the_cool_off_ends(client, editor):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    from heritage_site.login_security import forget_expired_attempts

    _login(client, "sai")
    assert AccessAttempt.objects.count() == 1
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert forget_expired_attempts() == 1 and not AccessAttempt.objects.exists()


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.django_db
def test_a_member_with_an_authenticator_gives_its_code_after_the_password(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="Điện thoại", confirmed=True)
    assert _login(client, PASSWORD).status_code == 302
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url == "/admin/xac-thuc-hai-buoc/?next=%2Fadmin%2Fpages%2F"
    page = client.get(response.url).content.decode()
    assert "Xác thực hai bước" in page and "Mã xác thực (6 chữ số)" in page
    # The device page cannot be reached to turn it off before the code.
    assert client.get("/admin/xac-thuc-hai-buoc/cai-dat/").status_code == 302
    wrong = client.post("/admin/xac-thuc-hai-buoc/", {"code": "000000", "next": "/admin/pages/"})
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp throttles wrong codes; start again
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(
        "/admin/xac-thuc-hai-buoc/", {"code": _code(device), "next": "/admin/pages/"}
    )
    assert right.status_code == 302 and right.url == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


@pytest.mark.django_db
def test_without_a_device_two_factor_is_optional(client, editor):
    _login(client, PASSWORD)
    assert client.get("/admin/").status_code == 200
    account = client.get("/admin/account/").content.decode()
    assert "Xác thực hai bước" in account


@pytest.mark.django_db
@override_settings(STAFF_2FA_REQUIRED=True)
def test_required_members_set_up_an_authenticator_first(client, editor):
    _login(client, PASSWORD)
    response = client.get("/admin/")
    assert response.url == "/admin/xac-thuc-hai-buoc/cai-dat/?next=%2Fadmin%2F"
    page = client.get(response.url).content.decode()
    assert "<svg" in page and "cần xác thực hai bước" in page
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/Di%20s%E1%BA%A3n%20s%E1%BB%91")
    done = client.post(
        "/admin/xac-thuc-hai-buoc/cai-dat/", {"code": _code(device), "next": "/admin/"}
    )
    assert done.status_code == 302 and done.url == "/admin/"
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert client.get("/admin/").status_code == 200
    # Required: it cannot be turned off by the member.
    manage = client.get("/admin/xac-thuc-hai-buoc/cai-dat/").content.decode()
    assert "bắt buộc" in manage and "Tắt xác thực hai bước" not in manage


@pytest.mark.django_db
@override_settings(STAFF_2FA_REQUIRED=True)
def test_ward_editors_outside_the_required_groups_are_not_forced(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("phuong", password=PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.post(LOGIN, {"username": "phuong", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_lost_phone_is_forgotten_by_command(editor):
    import io

    from django.core.management import call_command

    TOTPDevice.objects.create(user=editor, name="Điện thoại", confirmed=True)
    out = io.StringIO()
    call_command("reset_two_factor", "bientap", stdout=out)
    assert "Đã xóa 1 thiết bị" in out.getvalue() and not TOTPDevice.objects.exists()

"""MEDIA_STORAGE and the AWS_* variables become STORAGES, the CSP's media hosts and the
Cache-Control of each object; a wrong setting stops the start with a clear message."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from heritage_site.storage import IMMUTABLE, cache_control, media_origins, media_storages


def test_local_disk_stays_the_default():
    storages = media_storages({})
    local = "django.core.files.storage.FileSystemStorage"
    assert storages["default"]["BACKEND"] == storages["panorama_tiles"]["BACKEND"] == local
    assert media_origins({}) == []


def test_a_bucket_gets_signed_links_and_tiles_that_may_be_rewritten_under_their_version():
    env = {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "di-san-so"}
    storages = media_storages(env)
    default, tiles = storages["default"]["OPTIONS"], storages["panorama_tiles"]["OPTIONS"]
    assert default["bucket_name"] == tiles["bucket_name"] == "di-san-so"
    assert default["querystring_auth"] and not default["file_overwrite"]  # uploads keep names
    assert tiles["querystring_auth"] and tiles["file_overwrite"]
    assert media_origins(env) == ["https://di-san-so.s3.amazonaws.com"]
    env |= {"AWS_S3_ENDPOINT_URL": "https://s3.example.vn:9000/"}
    assert media_origins(env) == [
        "https://s3.example.vn:9000",
        "https://di-san-so.s3.example.vn:9000",
    ]
    env |= {"AWS_S3_CUSTOM_DOMAIN": "media.example.vn", "AWS_QUERYSTRING_AUTH": "false"}
    assert media_origins(env) == ["https://media.example.vn"]
    assert media_storages(env)["default"]["OPTIONS"]["querystring_auth"] is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be 'local' or 's3'"),
        ({"MEDIA_STORAGE": "s3"}, "needs AWS_STORAGE_BUCKET_NAME"),
    ],
)
def test_a_wrong_setting_stops_the_start_with_the_reason(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        media_storages(env)


def test_only_names_that_never_change_content_are_cached_for_a_year():
    assert cache_control("images/bia.fill-120x90.jpg") == IMMUTABLE
    assert cache_control("panoramas/tiles/3/ab12/1/f0_0.jpg") == IMMUTABLE
    assert cache_control("iiif/7/ab12/info.json") == IMMUTABLE
    assert cache_control("plaques/2026/12/bien-qr.pdf") == "private, no-cache"
    assert cache_control("backups/di-san-so.tar") == "private, no-cache"

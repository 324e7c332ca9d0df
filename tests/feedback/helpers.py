"""Posting feedback from tests: URLs, JSON posts and a photo carrying GPS."""

import io

from PIL import Image


def rating_url(page) -> str:
    return f"/feedback/{page.pk}/rating/"


def report_url(page) -> str:
    return f"/feedback/{page.pk}/report/"


def post_json(client, url: str, data: dict, **extra):
    return client.post(url, data, HTTP_ACCEPT="application/json", **extra)


def jpeg_with_gps(size=(640, 480)) -> bytes:
    """A phone photo: JPEG with EXIF that holds a GPS position and the camera's serial."""
    img = Image.new("RGB", size, (150, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (20.0, 51.0, 22.0)
    gps[3], gps[4] = "E", (106.0, 40.0, 56.0)
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()

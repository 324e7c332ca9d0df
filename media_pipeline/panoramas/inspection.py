"""Check an uploaded panorama before any heavy work: format, size, orientation, field of view.

Everything here reads headers and metadata only; the pixels are decoded later by the tiler.
The limits are those of ``media_pipeline.panoramas.limits``.
"""

from __future__ import annotations

import mmap
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from media_pipeline.panoramas.limits import (
    HARD_MAX_PANORAMA_PIXELS,
    MAX_PANORAMA_BYTES,
    MAX_PANORAMA_PIXELS,
    MAX_PANORAMA_SIDE,
    MAX_STREAMED_SIDE,
    MIN_PANORAMA_HEIGHT,
    MIN_PANORAMA_WIDTH,
)

if TYPE_CHECKING:
    from PIL.ImageFile import ImageFile

# Width/height ratio accepted as "2:1" for a full sphere: cameras round odd sizes by a pixel.
FULL_RATIO_TOLERANCE = 0.01

_MAGIC = {
    b"\xff\xd8\xff": "JPEG",
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
    b"II+\x00": "TIFF",  # BigTIFF
    b"MM\x00+": "TIFF",
}
GPANO_NAMESPACE = "http://ns.google.com/photos/1.0/panorama/"


class PanoramaError(Exception):
    """A panorama that cannot be processed; ``message`` is Vietnamese, for staff."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class FieldOfView:
    """Where the image sits on the sphere, in degrees, as Pannellum names it."""

    haov: float = 360.0  # horizontal angle of view
    vaov: float = 180.0  # vertical angle of view
    v_offset: float = 0.0  # pitch of the image's centre row (Pannellum's vOffset)
    h_offset: float = 0.0  # yaw of the image's centre column (0 = viewer's yaw 0)

    @property
    def is_full(self) -> bool:
        return self.haov >= 360.0 and self.vaov >= 180.0


@dataclass(frozen=True)
class GPano:
    """Google Photo Sphere XMP properties we use (None when absent)."""

    projection_type: str | None = None
    pose_heading: float | None = None
    pose_pitch: float | None = None
    pose_roll: float | None = None
    initial_heading: float | None = None
    initial_pitch: float | None = None
    initial_hfov: float | None = None
    cropped_width: float | None = None
    cropped_height: float | None = None
    full_width: float | None = None
    full_height: float | None = None
    cropped_left: float | None = None
    cropped_top: float | None = None

    @property
    def has_crop(self) -> bool:
        sizes = (self.cropped_width, self.cropped_height, self.full_width, self.full_height)
        return None not in sizes


@dataclass(frozen=True)
class ImageHeader:
    """What the file's header says, before any decoding."""

    path: Path
    format: str  # "JPEG", "PNG" or "TIFF"
    file_size: int
    raw_width: int  # as stored, before EXIF orientation
    raw_height: int
    orientation: int  # EXIF orientation 1..8, 1 = as stored
    xmp: bytes

    @property
    def width(self) -> int:
        return self.raw_height if self.orientation >= 5 else self.raw_width

    @property
    def height(self) -> int:
        return self.raw_width if self.orientation >= 5 else self.raw_height


@dataclass(frozen=True)
class PanoramaInfo:
    """A checked panorama: its header, where it sits on the sphere and how to first show it."""

    header: ImageHeader
    fov: FieldOfView
    fov_source: str  # "staff", "gpano" or "full" (2:1 image)
    gpano: GPano | None

    @property
    def path(self) -> Path:
        return self.header.path

    @property
    def width(self) -> int:
        return self.header.width

    @property
    def height(self) -> int:
        return self.header.height

    def initial_view(self) -> dict[str, float]:
        """Pannellum view settings from GPano: the initial heading becomes ``yaw``."""
        g = self.gpano
        view: dict[str, float] = {}
        if g is None:
            return view
        if g.pose_heading is not None:
            view["northOffset"] = g.pose_heading % 360
        if g.initial_heading is not None:
            # GPano headings are compass bearings; Pannellum's yaw is relative to the image centre.
            yaw = (g.initial_heading - (g.pose_heading or 0.0)) % 360
            view["yaw"] = yaw - 360 if yaw > 180 else yaw
        if g.initial_pitch is not None:
            view["pitch"] = max(-90.0, min(90.0, g.initial_pitch))
        if g.initial_hfov is not None and 10 <= g.initial_hfov <= 150:
            view["hfov"] = g.initial_hfov
        if g.pose_pitch:
            view["horizonPitch"] = g.pose_pitch
        if g.pose_roll:
            # Pannellum rolls the horizon the opposite way to GPano's pose roll.
            view["horizonRoll"] = -g.pose_roll
        return view


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _sniff_format(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        raise PanoramaError("Tệp tải lên rỗng (0 byte).", "empty")
    for magic, fmt in _MAGIC.items():
        if head.startswith(magic):
            return fmt
    raise PanoramaError(
        "Tệp tải lên không phải là ảnh JPEG, PNG hoặc TIFF. Hãy chọn tệp ảnh 360° gốc từ máy ảnh.",
        "not_image",
    )


def _open_header(path: Path, fmt: str) -> ImageFile:
    from PIL import JpegImagePlugin, PngImagePlugin, TiffImagePlugin

    # The plugin classes read the header without Image.open's global decompression-bomb check,
    # whose threshold is Wagtail's, not ours; we check the pixel count ourselves right after.
    factory = {
        "JPEG": JpegImagePlugin.JpegImageFile,
        "PNG": PngImagePlugin.PngImageFile,
        "TIFF": TiffImagePlugin.TiffImageFile,
    }[fmt]
    try:
        return factory(str(path))
    except (SyntaxError, OSError, ValueError, EOFError, struct.error, IndexError, KeyError) as e:
        raise PanoramaError(
            "Tệp ảnh bị hỏng: không đọc được phần đầu tệp. Hãy tải lên lại tệp gốc.", "corrupt"
        ) from e


def _jpeg_is_complete(path: Path) -> bool:
    """True when the entropy-coded data after the first scan header reaches an EOI marker."""
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        pos = 2
        size = len(data)
        # Walk the marker segments (EXIF thumbnails hold their own EOI, so skip by length).
        while pos + 4 <= size:
            if data[pos] != 0xFF:
                return False
            marker = data[pos + 1]
            if marker == 0xFF:  # fill byte
                pos += 1
                continue
            length = int.from_bytes(data[pos + 2 : pos + 4], "big")
            if marker == 0xDA:  # start of scan: entropy data cannot contain FF D9 (stuffing)
                return data.find(b"\xff\xd9", pos + 2 + length) != -1
            pos += 2 + length
        return False


def _png_is_complete(path: Path) -> bool:
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.rfind(b"IEND\xaeB`\x82") != -1


def inspect_image(
    path: str | Path,
    *,
    max_pixels: int = MAX_PANORAMA_PIXELS,
    max_bytes: int = MAX_PANORAMA_BYTES,
) -> ImageHeader:
    """Check type, file size, pixel count and completeness of an image without decoding it."""
    path = Path(path)
    try:
        file_size = path.stat().st_size
    except OSError as e:
        raise PanoramaError("Không tìm thấy tệp ảnh đã tải lên.", "missing") from e
    if file_size > max_bytes:
        raise PanoramaError(
            f"Tệp quá lớn: {_mb(file_size)} (tối đa {_mb(max_bytes)}).", "file_too_large"
        )
    fmt = _sniff_format(path)
    im = _open_header(path, fmt)
    try:
        raw_width, raw_height = im.size
        pixels = raw_width * raw_height
        try:
            orientation = int(im.getexif().get(0x0112, 1))
        except (SyntaxError, OSError, ValueError, struct.error, TypeError):
            orientation = 1  # unreadable EXIF: show the image as stored
        if orientation not in range(1, 9):
            orientation = 1
        # RGB JPEGs stored upright or flipped are decoded a band of rows at a time
        # (media_pipeline.panoramas.decoding); other images are decoded whole.
        streamed = fmt == "JPEG" and im.mode == "RGB" and orientation < 5
        max_side = MAX_STREAMED_SIDE if streamed else MAX_PANORAMA_SIDE
        if pixels > max_pixels or max(raw_width, raw_height) > max_side:
            raise PanoramaError(
                f"Ảnh quá lớn: {raw_width}×{raw_height} điểm ảnh "
                f"({pixels / 1e6:.0f} triệu), vượt giới hạn {max_pixels / 1e6:.0f} triệu điểm ảnh "
                f"(cạnh dài tối đa {max_side}). Tệp có thể là “bom giải nén” hoặc cần "
                "thu nhỏ trước khi tải lên.",
                "too_many_pixels",
            )
        xmp = im.info.get("xmp", b"")
        if isinstance(xmp, str):
            xmp = xmp.encode("utf-8", "replace")
    finally:
        im.close()
    if (fmt == "JPEG" and not _jpeg_is_complete(path)) or (
        fmt == "PNG" and not _png_is_complete(path)
    ):
        raise PanoramaError(
            "Tệp ảnh bị cắt cụt (tải lên chưa hết hoặc bị hỏng). Hãy tải lên lại tệp gốc.",
            "truncated",
        )
    return ImageHeader(path, fmt, file_size, raw_width, raw_height, orientation, bytes(xmp))


_GPANO_FIELDS = {
    "ProjectionType": "projection_type",
    "PoseHeadingDegrees": "pose_heading",
    "PosePitchDegrees": "pose_pitch",
    "PoseRollDegrees": "pose_roll",
    "InitialViewHeadingDegrees": "initial_heading",
    "InitialViewPitchDegrees": "initial_pitch",
    "InitialHorizontalFOVDegrees": "initial_hfov",
    "CroppedAreaImageWidthPixels": "cropped_width",
    "CroppedAreaImageHeightPixels": "cropped_height",
    "FullPanoWidthPixels": "full_width",
    "FullPanoHeightPixels": "full_height",
    "CroppedAreaLeftPixels": "cropped_left",
    "CroppedAreaTopPixels": "cropped_top",
}


def parse_gpano(xmp: bytes | str) -> GPano | None:
    """Read GPano properties from an XMP packet, as attributes or as elements."""
    text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else xmp
    # The prefix is usually "GPano" but XMP lets a writer choose it; resolve it by namespace.
    m = re.search(r'xmlns:([\w.-]+)\s*=\s*["\']' + re.escape(GPANO_NAMESPACE), text)
    prefix = re.escape(m.group(1) if m else "GPano")
    found: dict[str, str] = {}
    for name, value in re.findall(prefix + r':(\w+)\s*=\s*"([^"]*)"', text):
        found.setdefault(name, value)
    for name, value in re.findall(prefix + r":(\w+)\s*=\s*'([^']*)'", text):
        found.setdefault(name, value)
    for name, value in re.findall(rf"<{prefix}:(\w+)>\s*([^<]*?)\s*</{prefix}:\1>", text):
        found.setdefault(name, value)
    values: dict[str, str | float | None] = {}
    for xmp_name, field in _GPANO_FIELDS.items():
        raw = found.get(xmp_name)
        if raw is None:
            continue
        if field == "projection_type":
            values[field] = raw.strip().lower()
            continue
        try:
            number = float(raw)
        except ValueError:
            continue
        if number == number and abs(number) != float("inf"):  # drop NaN and infinities
            values[field] = number
    return GPano(**values) if values else None  # type: ignore[arg-type]


def _fov_from_gpano(g: GPano, width: int, height: int) -> FieldOfView | None:
    if not g.has_crop:
        return None
    cw, ch, fw, fh = g.cropped_width, g.cropped_height, g.full_width, g.full_height
    assert cw is not None and ch is not None and fw is not None and fh is not None
    left = g.cropped_left or 0.0
    top = g.cropped_top or 0.0
    if min(cw, ch, fw, fh) <= 0 or cw > fw or ch > fh or left < 0 or top < 0 or top + ch > fh:
        raise PanoramaError(
            "Thông tin ảnh cầu (GPano) trong tệp không hợp lệ: vùng cắt nằm ngoài ảnh toàn cảnh. "
            "Hãy nhập góc nhìn ngang và dọc cho ảnh.",
            "bad_gpano",
        )
    haov = 360.0 * cw / fw
    vaov = 180.0 * ch / fh
    return FieldOfView(
        haov=haov,
        vaov=vaov,
        v_offset=90.0 - 180.0 * (top + ch / 2) / fh,
        h_offset=(360.0 * (left + cw / 2) / fw) % 360.0 - 180.0,
    )


def _check_fov(fov: FieldOfView) -> FieldOfView:
    if not 0 < fov.haov <= 360:
        raise PanoramaError("Góc nhìn ngang (haov) phải lớn hơn 0° và không quá 360°.", "bad_fov")
    if not 0 < fov.vaov <= 180:
        raise PanoramaError("Góc nhìn dọc (vaov) phải lớn hơn 0° và không quá 180°.", "bad_fov")
    if abs(fov.v_offset) + fov.vaov / 2 > 90.0001:
        raise PanoramaError(
            "Độ lệch dọc (vOffset) cộng nửa góc nhìn dọc vượt quá 90°: ảnh sẽ tràn qua đỉnh "
            "hoặc đáy mặt cầu.",
            "bad_fov",
        )
    return fov


def inspect_panorama(
    path: str | Path,
    *,
    max_pixels: int = MAX_PANORAMA_PIXELS,
    max_bytes: int = MAX_PANORAMA_BYTES,
    haov: float | None = None,
    vaov: float | None = None,
    v_offset: float | None = None,
) -> PanoramaInfo:
    """Check a panorama file and find its field of view: staff values, else GPano, else 2:1.

    Raises ``PanoramaError`` (Vietnamese message) for anything the tiler could not use.
    """
    max_pixels = min(max_pixels, HARD_MAX_PANORAMA_PIXELS)
    header = inspect_image(path, max_pixels=max_pixels, max_bytes=max_bytes)
    width, height = header.width, header.height
    if width < MIN_PANORAMA_WIDTH or height < MIN_PANORAMA_HEIGHT:
        raise PanoramaError(
            f"Ảnh quá nhỏ để làm ảnh 360°: {width}×{height} điểm ảnh "
            f"(tối thiểu {MIN_PANORAMA_WIDTH}×{MIN_PANORAMA_HEIGHT}).",
            "too_small",
        )
    gpano = parse_gpano(header.xmp) if header.xmp else None
    if gpano and gpano.projection_type not in (None, "equirectangular"):
        raise PanoramaError(
            f"Ảnh dùng phép chiếu “{gpano.projection_type}”; hệ thống chỉ nhận ảnh chiếu "
            "equirectangular (ảnh 360° thông thường, tỉ lệ 2:1).",
            "bad_projection",
        )
    if haov is not None or vaov is not None:
        if haov is None or vaov is None:
            raise PanoramaError(
                "Hãy nhập cả góc nhìn ngang (haov) và góc nhìn dọc (vaov) của ảnh.", "bad_fov"
            )
        fov = _check_fov(FieldOfView(float(haov), float(vaov), float(v_offset or 0.0)))
        return PanoramaInfo(header, fov, "staff", gpano)
    gpano_fov = _fov_from_gpano(gpano, width, height) if gpano else None
    if gpano_fov is not None:
        return PanoramaInfo(header, _check_fov(gpano_fov), "gpano", gpano)
    if abs(width / height - 2.0) <= 2.0 * FULL_RATIO_TOLERANCE:
        return PanoramaInfo(header, FieldOfView(), "full", gpano)
    raise PanoramaError(
        f"Ảnh {width}×{height} không có tỉ lệ 2:1 của ảnh 360° toàn cảnh và không kèm thông tin "
        "góc nhìn. Nếu đây là ảnh toàn cảnh một phần, hãy nhập góc nhìn ngang (haov) và góc "
        "nhìn dọc (vaov) rồi xử lý lại.",
        "needs_fov",
    )

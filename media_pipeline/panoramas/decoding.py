"""The decoded source of a panorama, only the rows the cube faces need, as they are needed.

A JPEG (what cameras write) is decoded a few hundred rows at a time into a buffer that is
reserved for the whole image but only uses memory where rows have been decoded and not yet
released: the up face needs the top third of the panorama, the four side faces the middle half,
the down face the bottom third, so a 16384×8192 panorama never holds more than half of its
rows at once (a thread decodes ahead within that budget while faces are sampled). Rows are
stored as RGBX (Pillow's layout, 4 bytes a pixel) with a few columns of
the opposite edge copied beside each end, so sampling across the ±180° seam needs no wrapping
and a sampler may be handed any narrow slice of columns (OpenCV's ``remap`` takes at most
32767 columns).

Pillow's decoder writes the RGBX rows straight into that buffer (its rows are the image's rows
with the padding as stride), and they stay RGBX: the sampler turns into BGR (what OpenCV
encodes) only the slices it reads, in the copy it makes of them anyway, which costs less than a
conversion pass over every row and a second buffer. The buffer asks for transparent huge pages
(a fault per 2 MiB instead of per 4 KiB), and a sampler waiting for rows faults in the pages the
decoder writes next: the kernel's zeroing of fresh memory is then done by the core that would
otherwise wait, not by the decoder, which the sampler waits for.

PNG, TIFF, grayscale or CMYK JPEGs and JPEGs turned by their EXIF orientation by 90° are
decoded whole by OpenCV (BGR, 3 bytes a pixel), as before.
"""

from __future__ import annotations

import ctypes
import math
import mmap
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from media_pipeline.panoramas.inspection import PanoramaError, PanoramaInfo

if TYPE_CHECKING:
    from numpy.typing import NDArray

CORRUPT = "Không giải mã được ảnh: tệp bị hỏng hoặc bị cắt cụt. Hãy tải lên lại tệp gốc."
PAD = 8  # columns copied beyond each edge of a streamed source
READ_BYTES = 256 * 1024  # compressed bytes fed to the decoder at a time
POPULATE_AHEAD = 16 << 20  # bytes a waiting sampler gets ready ahead of the decoder at most
MADV_POPULATE_WRITE = 23  # Linux 5.14: fault pages in as if written, without writing


class SourcePixels:
    """A whole decoded image (BGR), all rows available: the base class and the fallback."""

    pad = 0  # columns copied beyond each edge: x in the image is column x + pad of ``pixels``
    rgbx = False  # ``pixels`` holds RGBX (4 bytes a pixel) instead of BGR
    released = 0  # rows [0, released) were given back and read as zeros

    def __init__(self, pixels: NDArray[np.uint8]) -> None:
        self.pixels: NDArray[np.uint8] | None = pixels
        self.height, self.width = pixels.shape[:2]

    def ensure(self, rows: int) -> None:
        """Make rows ``[0, rows)`` available (those not released)."""

    def release(self, below: int) -> None:
        """Rows above ``below`` will not be sampled again."""

    def prefetch(self, budget: int) -> None:
        """Decode ahead in the background, holding at most ``budget`` unreleased rows."""

    def thumbnail(self, step: int) -> NDArray[np.uint8]:
        """Every ``step``-th row and column, BGR, for the preview."""
        assert self.pixels is not None
        return self.pixels[::step, ::step]

    def close(self) -> None:
        self.pixels = None


def _decode_whole(info: PanoramaInfo) -> NDArray[np.uint8]:
    """Decode the whole image as stored (BGR); orientation is applied later, in the maps."""
    import cv2

    header = info.header
    # Decoding into our own array avoids a second full-size copy in OpenCV's Python binding,
    # but then a failed decode is not reported: a random last row that survives means the
    # decoder never reached the bottom of the image.
    image = np.empty((header.raw_height, header.raw_width, 3), np.uint8)
    sentinel = np.random.default_rng().integers(0, 256, image.shape[1:], np.uint8)
    image[-1] = sentinel
    try:
        cv2.imread(str(info.path), image, cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION)
    except cv2.error as e:
        raise PanoramaError(CORRUPT, "corrupt") from e
    if np.array_equal(image[-1], sentinel):
        raise PanoramaError(CORRUPT, "corrupt")
    return image


def _anonymous(shape: tuple[int, ...]) -> tuple[mmap.mmap, NDArray[np.uint8]]:
    """An array in anonymous memory: pages take room once written, until given back."""
    memory = mmap.mmap(-1, math.prod(shape), flags=mmap.MAP_PRIVATE)
    memory.madvise(mmap.MADV_HUGEPAGE)
    return memory, np.frombuffer(memory, np.uint8).reshape(shape)


def _give_back(memory: mmap.mmap, start: int, end: int) -> int:
    """Give back the whole pages of bytes ``[start, end)``; returns where the next call starts."""
    page = 2 << 20
    first, last = -(-start // page) * page, end // page * page
    if last > first:
        memory.madvise(mmap.MADV_DONTNEED, first, last - first)
        return last
    return start


class StreamedJpeg(SourcePixels):
    """An RGB JPEG decoded top to bottom on demand; released rows give their memory back."""

    pad = PAD
    rgbx = True

    def __init__(self, path: Path, thumb_step: int) -> None:
        from PIL import Image, JpegImagePlugin

        # The plugin class skips Image.open's global decompression-bomb check (Wagtail's
        # threshold); inspect_panorama checked the size against the panorama limits already.
        image = JpegImagePlugin.JpegImageFile(str(path))
        try:
            (tile,) = image.tile
            if image.format != "JPEG" or image.mode != "RGB" or tile.codec_name != "jpeg":
                raise ValueError("not an RGB JPEG")
            decoder = Image._getdecoder(image.mode, "jpeg", ("RGBX", ""), image.decoderconfig)
        finally:
            image.close()
        self.width, self.height = image.size
        stride = (self.width + 2 * PAD) * 4
        # One spare row: Pillow wants the whole image's bytes after the target's first pixel.
        self._memory, pixels = _anonymous((self.height + 1, self.width + 2 * PAD, 4))
        self.pixels = pixels[: self.height]
        target = Image.frombuffer(
            "RGBA",
            (self.width, self.height),
            memoryview(self._memory)[PAD * 4 :],
            "raw",
            "RGBA",
            stride,
            1,
        )
        decoder.setimage(target.im, None)
        self._target = target  # the decoder writes through it into ``pixels``
        self._decoder: Any = decoder
        self._file = open(path, "rb")
        self._pending = b""
        self._finished = False
        self.decoded = 0  # rows [0, decoded) have been decoded
        self.released = 0  # rows [0, released) have been given back
        self._step = thumb_step
        self._thumb = np.empty(
            (-(-self.height // thumb_step), -(-self.width // thumb_step), 3), np.uint8
        )
        # Decoding ahead on a thread (Pillow and OpenCV release the GIL) overlaps it with the
        # sampling; the condition guards decoded, released, the wanted rows and the error.
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._wanted = 0  # rows ensure() waits for
        self._budget = 0  # rows the thread may hold beyond what was released
        self._error: BaseException | None = None
        self._stopping = False
        self._populated = 0  # bytes of the buffer before this were made ready by populate()
        self._madvise: Any = None
        try:
            self._madvise = ctypes.CDLL(None, use_errno=True).madvise  # releases the GIL
            self._madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        except (OSError, AttributeError):
            pass
        self._base = self.pixels.__array_interface__["data"][0]

    def ensure(self, rows: int) -> None:
        rows = min(rows, self.height)
        if self._thread is None:
            while self.decoded < rows:
                self._decode_some()
            return
        while True:
            with self._changed:
                self._wanted = max(self._wanted, rows)
                self._changed.notify_all()
                if self._error is not None:
                    raise self._error
                if self.decoded >= rows:
                    return
                decoded, limit = self.decoded, self.released + self._budget
            if not self._populate(decoded, limit):
                with self._changed:
                    if self.decoded < rows and self._error is None:
                        self._changed.wait()

    def _populate(self, decoded: int, limit: int) -> bool:
        """While the sampler waits, fault in a few pages the decoder will write next, so that
        the kernel's zeroing of fresh memory is done on the idle core, not by the decoder.
        False when there is nothing to do."""
        if self._madvise is None:
            return False
        stride = (self.width + 2 * PAD) * 4
        page = 2 << 20
        start = max(self._populated, decoded * stride // page * page)
        end = min(decoded * stride + POPULATE_AHEAD, min(limit, self.height) * stride)
        end = min(start + page, end)
        if end <= start:
            return False
        if self._madvise(self._base + start, end - start, MADV_POPULATE_WRITE) != 0:
            self._madvise = None  # an older kernel: the decoder faults its pages in itself
            return False
        self._populated = end
        return True

    def prefetch(self, budget: int) -> None:
        with self._changed:
            self._budget = budget
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._decode_ahead, name="panorama-decoder", daemon=True
                )
                self._thread.start()
            self._changed.notify_all()

    def _decode_ahead(self) -> None:
        try:
            while True:
                with self._changed:
                    while not self._stopping and not self._may_decode():
                        self._changed.wait()
                    if self._stopping:
                        return
                self._decode_some()
                with self._changed:
                    self._changed.notify_all()
        except Exception as e:  # noqa: BLE001 — handed to the sampling thread by ensure()
            with self._changed:
                self._error = e
                self._changed.notify_all()

    def _may_decode(self) -> bool:
        if self.decoded >= self.height:
            return False
        return self.decoded < self._wanted or self.decoded - self.released < self._budget

    def _decode_some(self) -> None:
        """Feed the decoder one read of the file and take the rows it finished."""
        if self._finished:
            raise PanoramaError(CORRUPT, "corrupt")
        data = self._file.read(READ_BYTES)
        if not data:
            raise PanoramaError(CORRUPT, "corrupt")  # the file ends before the image does
        data = self._pending + data
        consumed, error = self._decoder.decode(data)
        if consumed < 0:
            self._finished = True
            if error < 0:
                raise PanoramaError(CORRUPT, "corrupt")
        else:
            self._pending = data[consumed:]
        self._advance()

    def _advance(self) -> None:
        """Take the rows the decoder finished (their last pixel's X byte turns 255)."""
        pixels = self.pixels
        assert pixels is not None
        first = last = self.decoded
        end = PAD + self.width - 1
        while last < self.height and pixels[last, end, 3] == 255:
            last += 1
        if last == first:
            return
        rows = pixels[first:last]
        rows[:, :PAD] = rows[:, self.width : self.width + PAD]
        rows[:, PAD + self.width :] = rows[:, PAD : 2 * PAD]
        step = self._step
        start = -(-first // step) * step
        if start < last:
            picked = pixels[start:last:step, PAD : PAD + self.width : step, 2::-1]  # BGR
            self._thumb[start // step : start // step + len(picked)] = picked
        with self._changed:
            self.decoded = last

    def release(self, below: int) -> None:
        with self._changed:
            below = min(below, self.decoded)
            if below <= self.released:
                return
            stride = (self.width + 2 * PAD) * 4
            _give_back(self._memory, self.released * stride, below * stride)
            self.released = below
            self._changed.notify_all()

    def thumbnail(self, step: int) -> NDArray[np.uint8]:
        assert step == self._step
        self.ensure(self.height)
        return self._thumb

    def close(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join()
        self.pixels = None
        self._file.close()
        self._target.close()
        self._decoder = None


def open_source(info: PanoramaInfo, thumb_step: int) -> SourcePixels:
    """The panorama's pixels: streamed for RGB JPEGs stored upright or flipped, else whole."""
    if info.header.format == "JPEG" and info.header.orientation < 5:
        try:
            return StreamedJpeg(info.path, thumb_step)
        except ValueError:
            pass  # grayscale, CMYK or an unusual JPEG: let OpenCV decode it whole
    return SourcePixels(_decode_whole(info))

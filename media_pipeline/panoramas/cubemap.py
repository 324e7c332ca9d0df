"""Project an equirectangular panorama onto cube faces, a strip at a time.

Geometry follows py360convert (faces F R B L U D; x right, y up, z front; yaw = atan2(x, z)),
which is also the face layout Pannellum's multires viewer draws, with pixel centres at
``(i + 0.5) / size`` so that tile edges meet the cube's edges exactly.

Speed comes from four things: the sampling maps are computed exactly on a coarse grid and
bilinearly upsampled (the mapping is smooth; the few cells around the poles and the yaw seam are
recomputed exactly), OpenCV's ``remap`` samples the source, only one strip of maps exists at a
time (in buffers reused from strip to strip), and a streamed source is sampled a chunk of
columns at a time from a compact BGR copy of the rows the chunk reads: ``remap`` reads the rows
of a wide panorama, tens of kilobytes apart, about twice as slowly, and the back face's two
halves lie at the panorama's two ends. The EXIF orientation is folded into the maps, so the
source is never rotated in memory.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import numpy as np

from media_pipeline.panoramas.decoding import SourcePixels
from media_pipeline.panoramas.inspection import FieldOfView

if TYPE_CHECKING:
    from numpy.typing import NDArray

FACE_LETTERS = ("f", "r", "b", "l", "u", "d")  # py360convert's order, Pannellum's letters
# Above this the faces of a narrow partial panorama would outgrow memory; 8192 keeps a face at
# 200 MB and is more than any phone screen resolves.
MAX_CUBE_RESOLUTION = 8192
COARSE_STEP = 8  # pixels between exactly computed map samples
REMAP_MAX_SIDE = 32766  # OpenCV's remap takes sources of fewer than 32767 rows and columns
CHUNK_COLUMNS = 1024  # face columns sampled at once from a streamed source
COMPACT_MAX_COLUMNS = 8192  # narrower slices of a streamed source are copied before sampling
Interpolation = Literal["linear", "cubic"]


def cube_resolution(width: int, haov: float = 360.0, cap: int = MAX_CUBE_RESOLUTION) -> int:
    """Face size that keeps the source's detail, as Pannellum's generate.py computes it."""
    size = 8 * int((360.0 / haov) * width / math.pi / 8)
    return max(8, min(size, cap))


def face_directions(
    face: int, size: int, rows: tuple[int, int] | None = None, *, edge_centred: bool = False
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Unit view directions (x, y, z) of a face's pixel centres, for rows ``[r0, r1)``.

    ``edge_centred`` puts the outer pixel centres on the face's edges, as py360convert does.
    """
    r0, r1 = rows or (0, size)
    if edge_centred:
        grid = np.linspace(-1.0, 1.0, size)
        a, b = grid, grid[r0:r1]
    else:
        a = (np.arange(size, dtype=np.float64) + 0.5) * (2.0 / size) - 1.0
        b = (np.arange(r0, r1, dtype=np.float64) + 0.5) * (2.0 / size) - 1.0
    x, y, z = _face_xyz(face, a[None, :], b[:, None])
    norm = np.sqrt(x * x + y * y + z * z)
    return x / norm, y / norm, z / norm


def _face_xyz(face: int, a: NDArray, b: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Unnormalized directions for face-plane coordinates a (right) and b (down), both in ±1."""
    a, b = np.broadcast_arrays(a, b)
    one = np.ones_like(a)
    if face == 0:  # front
        return a, -b, one
    if face == 1:  # right
        return one, -b, -a
    if face == 2:  # back
        return -a, -b, -one
    if face == 3:  # left
        return -one, -b, a
    if face == 4:  # up: bottom edge meets the front face
        return a, one, b
    return a, -one, -b  # down: top edge meets the front face


class CubeProjector:
    """Samples cube faces of one panorama (``image`` as stored: BGR uint8, or a streamed source).

    A streamed source is asked for the rows each strip needs (``face_rows`` tells which rows a
    face needs, so that the caller can release the others) and handed to ``remap`` as a slice.
    """

    def __init__(
        self,
        image: NDArray[np.uint8] | SourcePixels,
        fov: FieldOfView,
        size: int,
        *,
        orientation: int = 1,
        interpolation: Interpolation = "linear",
        background: tuple[int, int, int] = (0, 0, 0),
        step: int = COARSE_STEP,
    ) -> None:
        import cv2

        self.source: SourcePixels | None = (
            image if isinstance(image, SourcePixels) else SourcePixels(image)
        )
        self.size = size
        self.fov = fov
        self.orientation = orientation
        raw_h, raw_w = self.source.height, self.source.width
        # Logical (displayed) size: EXIF orientations 5-8 swap the axes.
        self.width, self.height = (raw_h, raw_w) if orientation >= 5 else (raw_w, raw_h)
        self.full_yaw = fov.haov >= 360.0
        self.partial = not fov.is_full
        self.background = background
        self.step = step
        self._interp = cv2.INTER_CUBIC if interpolation == "cubic" else cv2.INTER_LINEAR
        self._coarse: dict[int, tuple[NDArray[np.float32], NDArray[np.intp]]] = {}
        # Buffers reused from strip to strip: fresh memory costs a page fault per 4 KiB.
        self._scratch: dict[str, NDArray] = {}
        none = np.empty(0, np.intp)
        self._strip_cells: tuple[tuple[int, int, int], tuple[NDArray, NDArray]] = (
            (-1, 0, 0),
            (none, none),
        )
        n_coarse = -(-size // step) + 4  # points at (k - 1) * step + (step - 1) / 2, k = 0..
        self._coarse_pos = (np.arange(n_coarse) - 1) * step + (step - 1) / 2.0
        self._side_uv: tuple[NDArray, NDArray] | None = None
        self._empty: dict[int, bool] = {}  # face_is_empty's answers, asked once per band

    # -- exact mapping -------------------------------------------------------------------------

    def _face_uv(
        self, face: int, i: NDArray[np.float64], j: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Yaw and pitch (radians) of face pixel centres (i, j)."""
        n = self.size
        a = (j + 0.5) * (2.0 / n) - 1.0
        b = (i + 0.5) * (2.0 / n) - 1.0
        x, y, z = _face_xyz(face, a, b)
        return np.arctan2(x, z), np.arctan2(y, np.hypot(x, z))

    def _uv_to_xy(
        self, u: NDArray[np.float64], v: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Source coordinates (displayed orientation) of directions given by yaw and pitch."""
        fov = self.fov
        du = u - math.radians(fov.h_offset)
        if not self.full_yaw:
            du = np.remainder(du + math.pi, 2 * math.pi) - math.pi
        xs = du * (self.width / math.radians(fov.haov)) + self.width / 2
        if self.full_yaw:
            # Sampling inside the image is remap's fast path; only the seam column needs the
            # slow wrapping border, and its coarse cells get exact values (a jump of a width).
            xs = np.remainder(xs, self.width, out=xs)
        xs -= 0.5
        ys = (math.radians(fov.v_offset) - v) * (self.height / math.radians(fov.vaov))
        ys += self.height / 2 - 0.5
        return xs, ys

    def _logical_xy(
        self, face: int, i: NDArray[np.float64], j: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Exact source coordinates (displayed orientation) of face pixel centres (i, j)."""
        return self._uv_to_xy(*self._face_uv(face, i, j))

    def _to_raw(self, xs: NDArray, ys: NDArray) -> tuple[NDArray, NDArray]:
        """Map displayed coordinates to stored ones for the EXIF orientation."""
        w1, h1 = self.width - 1, self.height - 1
        return {
            1: lambda: (xs, ys),
            2: lambda: (w1 - xs, ys),
            3: lambda: (w1 - xs, h1 - ys),
            4: lambda: (xs, h1 - ys),
            5: lambda: (ys, xs),
            6: lambda: (ys, w1 - xs),
            7: lambda: (h1 - ys, w1 - xs),
            8: lambda: (h1 - ys, xs),
        }[self.orientation]()

    def _finish(self, xs: NDArray, ys: NDArray) -> tuple[NDArray, NDArray]:
        """Clamp to the image (rows never wrap; columns wrap only for a full circle), orient."""
        np.clip(ys, 0, self.height - 1, out=ys)
        if not self.full_yaw:
            np.clip(xs, 0, self.width - 1, out=xs)
        return self._to_raw(xs, ys)

    def _inside(self, xs: NDArray, ys: NDArray) -> NDArray[np.bool_]:
        inside = (ys >= -0.5) & (ys <= self.height - 0.5)
        if not self.full_yaw:
            inside &= (xs >= -0.5) & (xs <= self.width - 0.5)
        return inside

    # -- coarse maps ---------------------------------------------------------------------------

    def _coarse_maps(self, face: int) -> tuple[NDArray[np.float32], NDArray[np.intp]]:
        """Exact x and y maps on the coarse grid (shape 2, n, n), and the cells needing exact
        pixel values (row, col)."""
        if face in self._coarse:
            return self._coarse[face]
        p = self._coarse_pos
        if face < 4:
            # Side faces are the front face turned by multiples of 90° of yaw.
            if self._side_uv is None:
                self._side_uv = self._face_uv(0, p[:, None], p[None, :])
            u, v = self._side_uv
            xs, ys = self._uv_to_xy(u + face * (math.pi / 2), v)
        else:
            xs, ys = self._logical_xy(face, p[:, None], p[None, :])
        # Interpolating across the yaw seam (a jump of a whole width) would sample garbage.
        corners = (xs[:-1, :-1], xs[1:, :-1], xs[:-1, 1:], xs[1:, 1:])
        bad = (np.maximum.reduce(corners) - np.minimum.reduce(corners)) > self.width / 4
        if face >= 4:
            # Around the pole the angles are cones: linear interpolation is off by about
            # step² / (8 r) pixels at r pixels from it, so compute exactly where that tops 0.04.
            mid = (p[:-1] + p[1:]) / 2 - (self.size - 1) / 2
            radius = self.step**2 / (8 * 0.04) + self.step
            bad |= np.hypot(mid[:, None], mid[None, :]) < radius
        if not self.partial:
            xs, ys = self._finish(xs, ys)
        xy = np.stack([xs, ys]).astype(np.float32)
        self._coarse[face] = (xy, np.argwhere(bad))
        return self._coarse[face]

    def face_is_empty(self, face: int) -> bool:
        """True when a partial panorama shows nothing on this face."""
        if not self.partial:
            return False
        if face not in self._empty:
            p = self._coarse_pos
            xs, ys = self._logical_xy(face, p[:, None], p[None, :])
            margin_x = self.width * self.step / self.size
            margin_y = self.height * self.step / self.size
            near = (ys >= -margin_y) & (ys <= self.height + margin_y)
            if not self.full_yaw:
                near &= (xs >= -margin_x) & (xs <= self.width + margin_x)
            self._empty[face] = not bool(near.any())
        return self._empty[face]

    def face_rows(self, face: int, start: int = 0) -> tuple[int, int]:
        """The stored rows ``[first, end)`` that sampling this face from its row ``start`` (a
        multiple of the coarse step) on reads (empty faces: none)."""
        if self.face_is_empty(face) or start >= self.size:
            return (0, 0)
        xy, cells = self._coarse_maps(face)
        # The coarse rows that strips from ``start`` on interpolate between (see _strip_maps).
        xs, ys = xy[:, start // self.step :]
        if self.partial:
            xs, ys = self._finish(xs.astype(np.float64), ys.astype(np.float64))
        lo, hi = float(ys.min()), float(ys.max())
        ii, jj = self._cell_pixels(face, cells, start, self.size)
        if ii.size:
            # The exactly computed cells (a pole, the yaw seam) reach rows the coarse grid
            # misses: the pole's row itself.
            _ex, ey = self._finish(*self._logical_xy(face, ii.astype(float), jj.astype(float)))
            lo, hi = min(lo, float(ey.min())), max(hi, float(ey.max()))
        raw_h = self.width if self.orientation >= 5 else self.height
        return max(0, math.floor(lo) - 3), min(raw_h, math.ceil(hi) + 4)

    def _cell_pixels(
        self, face: int, cells: NDArray[np.intp], r0: int, r1: int
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Face pixels (rows, cols) of the given coarse cells that fall in rows r0..r1."""
        if self._strip_cells[0] == (face, r0, r1):
            return self._strip_cells[1]  # the strip's other chunks
        s = self.step
        # Cell k spans pixels from (k - 1) * s + (s - 1) / 2 to the next point: s pixels.
        first = (cells - 1) * s + s // 2
        keep = (first[:, 0] + s > r0) & (first[:, 0] < r1)
        first = first[keep]
        offsets = np.arange(s)
        ii = (first[:, 0, None, None] + offsets[None, :, None]).repeat(s, axis=2).ravel()
        jj = (first[:, 1, None, None] + offsets[None, None, :]).repeat(s, axis=1).ravel()
        inside = (ii >= r0) & (ii < r1) & (jj >= 0) & (jj < self.size)
        self._strip_cells = ((face, r0, r1), (ii[inside], jj[inside]))
        return self._strip_cells[1]

    def _strip_maps(
        self,
        face: int,
        r0: int,
        r1: int,
        pad: int | None = None,
        cols: tuple[int, int] | None = None,
    ) -> tuple[
        NDArray[np.float32],
        NDArray[np.float32],
        NDArray[np.bool_] | None,
        tuple[int, int, int, int] | None,
    ]:
        """Sampling maps x and y for rows r0..r1 (columns ``cols``, a multiple of the coarse
        step, to the face's end by default), and the covered pixels of a partial image.

        With ``pad`` (a streamed source's padding), the maps address the slice of the source
        they read, returned as ``(y0, y1, x0, x1)`` in the source's padded columns. The maps of
        a full panorama live in buffers that the next call overwrites.
        """
        import cv2

        coarse, cells = self._coarse_maps(face)
        s = self.step
        c0, c1 = cols or (0, self.size)
        k0, kc = r0 // s, c0 // s
        nb, ncb = -(-(r1 - r0) // s) + 2, -(-(c1 - c0) // s) + 2
        out_w, out_h = ncb * s, nb * s
        block = coarse[:, k0 : k0 + nb, kc : kc + ncb]
        ii, jj = self._cell_pixels(face, cells, r0, r1)
        if c0 or c1 < self.size:
            keep = (jj >= c0) & (jj < c1)
            ii, jj = ii[keep], jj[keep]
        if ii.size:
            ex, ey = self._logical_xy(face, ii.astype(np.float64), jj.astype(np.float64))
            if not self.partial:
                ex, ey = self._finish(ex, ey)
        window = None
        if pad is not None and not self.partial:
            # Upsampled values lie between the coarse ones; exact cells (the yaw seam, the
            # poles) may not, so they count too.
            lo = np.array((block[0].min(), block[1].min()), np.float64)
            hi = np.array((block[0].max(), block[1].max()), np.float64)
            if ii.size:
                lo = np.minimum(lo, (ex.min(), ey.min()))
                hi = np.maximum(hi, (ex.max(), ey.max()))
            window = self._window(lo, hi, pad)
            shift = np.array((window[2] - pad, window[0]), np.float32)
            block = block - shift[:, None, None]  # interpolation commutes with a shift
            if ii.size:
                ex, ey = ex - shift[0], ey - shift[1]
        # Output row y of the upsampled block is face row (k0 - 1) * s + y, column x is
        # face column (kc - 1) * s + x.
        top = r0 - (k0 - 1) * s
        assert c0 == kc * s and k0 + nb <= coarse.shape[1] and kc + ncb <= coarse.shape[2]
        maps = []
        for c in range(2):
            up = self._buffer(f"map{c}", (out_h, out_w), np.float32)
            cv2.resize(block[c], (out_w, out_h), dst=up, interpolation=cv2.INTER_LINEAR)
            maps.append(up[top : top + r1 - r0, s : s + c1 - c0])  # remap takes strided maps
        mx, my = maps
        if ii.size:
            mx[ii - r0, jj - c0], my[ii - r0, jj - c0] = ex, ey
        if not self.partial:
            return mx, my, None, window
        # Partial panoramas test coverage before clamping, so clamp and orient per pixel.
        inside = self._inside(mx, my)
        mx, my = self._finish(mx, my)
        mx, my = np.ascontiguousarray(mx), np.ascontiguousarray(my)
        if pad is not None:
            lo = np.array((mx.min(), my.min()), np.float64)
            window = self._window(lo, np.array((mx.max(), my.max()), np.float64), pad)
            mx -= np.float32(window[2] - pad)
            my -= np.float32(window[0])
        return mx, my, inside, window

    def _buffer(self, name: str, shape: tuple[int, ...], dtype: type) -> NDArray:
        """A scratch array of this shape, reusing the memory of the last one of that name."""
        size = math.prod(shape) * np.dtype(dtype).itemsize
        flat = self._scratch.get(name)
        if flat is None or flat.size < size:
            flat = self._scratch[name] = np.empty(size, np.uint8)
        return flat[:size].view(dtype).reshape(shape)

    def _window(
        self, lo: NDArray[np.float64], hi: NDArray[np.float64], pad: int
    ) -> tuple[int, int, int, int]:
        """Source rows and padded columns ``(y0, y1, x0, x1)`` that interpolation reads."""
        raw_w, raw_h = (
            (self.height, self.width)
            if self.orientation >= 5
            else (
                self.width,
                self.height,
            )
        )
        return (
            max(0, math.floor(lo[1]) - 2),
            min(raw_h, math.ceil(hi[1]) + 3),
            max(0, math.floor(lo[0]) - 2 + pad),
            min(raw_w + 2 * pad, math.ceil(hi[0]) + 3 + pad),
        )

    # -- sampling ------------------------------------------------------------------------------

    def release(self) -> None:
        """Close the source; no face can be sampled afterwards."""
        if self.source is not None:
            self.source.close()
        self.source = None

    def render(
        self, face: int, r0: int, r1: int, out: NDArray[np.uint8]
    ) -> NDArray[np.bool_] | None:
        """Fill ``out`` (rows r0..r1 of the face, BGR) and return the covered pixels if partial."""
        source = self.source
        if source is None or source.pixels is None:
            raise RuntimeError("the source image was released")
        if not source.pad:
            # The whole image: remap wraps the ±180° seam (along rows when turned by 90°).
            mx, my, inside, _ = self._strip_maps(face, r0, r1)
            self._remap(source.pixels, (mx, my), out, 0)
        elif self.partial:
            inside = self._render_columns(source, face, r0, r1, (0, self.size), out)
        else:
            # A chunk of columns reads a narrower slice of the source than the whole strip
            # (the back face's halves lie at the two ends of the panorama).
            chunk = max(1, CHUNK_COLUMNS // self.step) * self.step
            for c0 in range(0, self.size, chunk):
                c1 = min(self.size, c0 + chunk)
                inside = self._render_columns(source, face, r0, r1, (c0, c1), out[:, c0:c1])
        if inside is not None:
            out[~inside] = self.background
        return inside

    def _render_columns(
        self,
        source: SourcePixels,
        face: int,
        r0: int,
        r1: int,
        cols: tuple[int, int],
        out: NDArray[np.uint8],
    ) -> NDArray[np.bool_] | None:
        """Sample rows r0..r1, columns ``cols`` of a face from a streamed source into ``out``."""
        import cv2

        assert source.pixels is not None
        pad = source.pad
        mx, my, inside, window = self._strip_maps(face, r0, r1, pad, cols)
        assert window is not None
        y0, y1, x0, x1 = window
        if y0 < source.released:
            raise RuntimeError(f"rows from {y0} were needed after being released")
        if max(x1 - x0, y1 - y0) <= REMAP_MAX_SIDE:
            source.ensure(y1)
            rows = source.pixels[y0:y1, x0:x1]
            if x1 - x0 <= COMPACT_MAX_COLUMNS:
                # remap reads a slice of the wide source about twice as slowly as a compact
                # copy of it (rows tens of kilobytes apart defeat the caches); an RGBX source
                # turns BGR in the same pass.
                compact = self._buffer("window", (*rows.shape[:2], 3), np.uint8)
                if source.rgbx:
                    cv2.cvtColor(rows, cv2.COLOR_RGBA2BGR, dst=compact)
                else:
                    np.copyto(compact, rows)
                rows = compact
            self._remap(rows, (mx, my), out, pad)
        else:
            # Too wide for remap (a panorama over 32766 pixels wide): the halves of the
            # strip read from narrower slices.
            mx, my, inside, _ = self._strip_maps(face, r0, r1, cols=cols)
            self._sample_halves(source, mx, my, 0, cols[1] - cols[0], out)
        return inside

    def _remap(
        self,
        src: NDArray[np.uint8],
        maps: tuple[NDArray[np.float32], NDArray[np.float32]],
        out: NDArray[np.uint8],
        pad: int,
    ) -> None:
        import cv2

        border = cv2.BORDER_REPLICATE if pad else cv2.BORDER_WRAP
        if src.shape[2] == out.shape[2]:
            cv2.remap(src, *maps, self._interp, dst=out, borderMode=border)
            return
        # An RGBX source is sampled as it is and the few sampled pixels turned BGR.
        sampled = self._buffer("rgbx", (*out.shape[:2], 4), np.uint8)
        cv2.remap(src, *maps, self._interp, dst=sampled, borderMode=border)
        cv2.cvtColor(sampled, cv2.COLOR_RGBA2BGR, dst=out)

    def _sample_halves(
        self,
        source: SourcePixels,
        mx: NDArray[np.float32],
        my: NDArray[np.float32],
        c0: int,
        c1: int,
        out: NDArray[np.uint8],
    ) -> None:
        """Remap face columns c0..c1 into ``out``, halving until the slice read fits remap."""
        xs, ys = mx[:, c0:c1], my[:, c0:c1]
        pad = source.pad
        y0 = max(0, math.floor(float(ys.min())) - 2)
        y1 = min(source.height, math.ceil(float(ys.max())) + 3)
        x0 = max(0, math.floor(float(xs.min())) - 2 + pad)
        x1 = min(source.width + 2 * pad, math.ceil(float(xs.max())) + 3 + pad)
        if max(x1 - x0, y1 - y0) > REMAP_MAX_SIDE and c1 - c0 > 1:
            mid = (c0 + c1) // 2
            for a, b in ((c0, mid), (mid, c1)):
                part = np.empty((out.shape[0], b - a, out.shape[2]), np.uint8)
                self._sample_halves(source, mx, my, a, b, part)
                out[:, a - c0 : b - c0] = part
            return
        source.ensure(y1)
        assert source.pixels is not None
        xs -= x0 - pad
        ys -= y0
        self._remap(source.pixels[y0:y1, x0:x1], (xs, ys), out, pad)

    def render_face(self, face: int, strip: int = 128) -> NDArray[np.uint8]:
        """A whole face at once; for tests and measurements, the tiler works in strips."""
        out = np.empty((self.size, self.size, 3), np.uint8)
        for r0 in range(0, self.size, strip):
            r1 = min(self.size, r0 + strip)
            self.render(face, r0, r1, out[r0:r1])
        return out

    def render_face_exact(self, face: int) -> NDArray[np.uint8]:
        """A face sampled with exactly computed maps: the slow reference for checks."""
        import cv2

        rng = np.arange(self.size, dtype=np.float64)
        i, j = np.meshgrid(rng, rng, indexing="ij")
        xs, ys = self._logical_xy(face, i, j)
        inside = self._inside(xs, ys) if self.partial else None
        mx, my = self._finish(xs, ys)
        if self.source is None or self.source.pad or self.source.pixels is None:
            raise RuntimeError("exact sampling needs a whole BGR image")
        out = cv2.remap(
            self.source.pixels,
            mx.astype(np.float32),
            my.astype(np.float32),
            self._interp,
            borderMode=cv2.BORDER_WRAP,
        )
        if inside is not None:
            out[~inside] = self.background
        return out

"""TeX formulas to PNG images, offline, with matplotlib's mathtext.

Why images: QTextBrowser understands neither MathML nor JavaScript, so a formula has to reach it
as a picture. mathtext is a TeX subset that ships with matplotlib (fonts included), so nothing is
fetched from the network.

Why the caches: importing matplotlib costs a few hundred milliseconds and the first formula a
few more, so the rendered PNGs are kept in memory and, when a cache directory is given, on disk.
A formula found on disk is served without importing matplotlib at all; matplotlib is imported
lazily, the first time a formula has actually to be drawn.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import math
import os
import struct
import tempfile
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MathError", "MathImage", "MathRenderer"]

_log = logging.getLogger(__name__)

#: Bump when the drawing changes, so that stale files in a disk cache are not reused.
_CACHE_VERSION: Final = 1
#: Longer TeX is refused: a card formula is never that long, and a huge one would be a huge image.
MAX_TEX_LENGTH: Final = 2000
#: The largest formula image drawn, in CSS pixels (a card is about 700 wide). Bigger is refused
#: before anything is rasterised: ``a\hspace{1000000}b`` would otherwise allocate gigabytes.
MAX_CSS_WIDTH: Final = 4000
MAX_CSS_HEIGHT: Final = 1000
MAX_CSS_AREA: Final = 1_000_000
#: TeX that can make an image far larger than its length suggests (a length or a rule thickness
#: is a number); such TeX, and any long TeX, is measured before it is drawn.
_AMPLIFIERS: Final = ("\\hspace", "\\genfrac")
_MEASURE_FROM_LENGTH: Final = 300
_MEMORY_ENTRIES: Final = 512
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
#: The maths axis (the height of the fraction bar above the baseline) in ems, for TeX fonts.
_AXIS_EM: Final = 0.25


class MathError(ValueError):
    """TeX that mathtext cannot draw; the message names the TeX."""

    def __init__(self, tex: str, reason: str) -> None:
        super().__init__(f"cannot render TeX {tex!r}: {reason}")
        self.tex = tex
        self.reason = reason


@dataclass(frozen=True)
class MathImage:
    """A rendered formula: PNG bytes drawn at ``scale``x, with its size in CSS pixels."""

    png: bytes
    width: int
    height: int

    def data_uri(self) -> str:
        """The PNG as a ``data:`` URI, so the HTML needs no file and no network."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


class MathRenderer:
    """Renders TeX with mathtext, caching in memory and optionally on disk.

    ``scale`` is the ratio of PNG pixels to CSS pixels (2.0 keeps formulas sharp on HiDPI
    screens); ``font_size`` is the size of the maths in CSS pixels (display maths is drawn 20 %
    larger). Thread-safe: matplotlib is not, so drawing is serialised.
    """

    def __init__(
        self, cache_dir: Path | None = None, scale: float = 2.0, *, font_size: float = 15.0
    ) -> None:
        if not (scale > 0 and math.isfinite(scale)):
            raise ValueError(f"scale must be a positive number, not {scale!r}")
        if not (font_size > 0 and math.isfinite(font_size)):
            raise ValueError(f"font_size must be a positive number, not {font_size!r}")
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._scale = float(scale)
        self._font_size = float(font_size)
        self._memory: OrderedDict[tuple[str, bool, str], MathImage] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def cache_dir(self) -> Path | None:
        """Where rendered PNGs are kept between runs (``None``: memory only)."""
        return self._cache_dir

    @property
    def scale(self) -> float:
        """PNG pixels per CSS pixel."""
        return self._scale

    def render(self, tex: str, *, display: bool, color: str) -> MathImage:
        """Draw ``tex`` (without ``$`` delimiters) in ``color`` on a transparent background.

        Raises MathError when mathtext cannot parse the TeX.
        """
        tex = " ".join(tex.split())  # mathtext is one line; TeX ignores repeated whitespace
        if not tex:
            raise MathError(tex, "empty formula")
        if len(tex) > MAX_TEX_LENGTH:
            raise MathError(tex[:40] + "…", f"longer than {MAX_TEX_LENGTH} characters")
        key = (tex, display, color)
        with self._lock:
            image = self._memory.get(key)
            if image is not None:
                self._memory.move_to_end(key)
                return image
            path = self._cache_path(tex, display, color)
            image = self._read_cached(path) if path is not None else None
            if image is None:
                image = self._draw(tex, display=display, color=color)
                if path is not None:
                    self._write_cached(path, image.png)
            self._memory[key] = image
            if len(self._memory) > _MEMORY_ENTRIES:
                self._memory.popitem(last=False)
            return image

    # -- disk cache ---------------------------------------------------------------------------

    def _cache_path(self, tex: str, display: bool, color: str) -> Path | None:
        if self._cache_dir is None:
            return None
        ident = "\0".join(
            [
                f"v{_CACHE_VERSION}",
                tex,
                "display" if display else "inline",
                color,
                repr(self._scale),
                repr(self._font_size),
            ]
        )
        return self._cache_dir / f"{hashlib.sha256(ident.encode('utf-8')).hexdigest()}.png"

    def _read_cached(self, path: Path) -> MathImage | None:
        try:
            png = path.read_bytes()
        except OSError:
            return None
        size = _png_size(png)
        if size is None:  # truncated or foreign file: draw again and overwrite it
            _log.warning("ignoring unreadable maths cache file %s", path)
            return None
        return MathImage(png, *self._css_size(*size))

    def _write_cached(self, path: Path, png: bytes) -> None:
        """Write via a temporary file and os.replace, so a reader never sees half a PNG."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".png")
        except OSError as exc:
            _log.warning("maths cache %s is not writable: %s", path.parent, exc)
            return
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(png)
            os.replace(tmp, path)
        except OSError as exc:
            _log.warning("could not write maths cache file %s: %s", path, exc)
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    # -- drawing ------------------------------------------------------------------------------

    def _css_size(self, px_width: int, px_height: int) -> tuple[int, int]:
        return max(1, round(px_width / self._scale)), max(1, round(px_height / self._scale))

    def _check_size(self, tex: str, px_width: float, px_height: float) -> None:
        """Refuse an image bigger than the caps (given in CSS pixels, whatever the scale)."""
        width, height = px_width / self._scale, px_height / self._scale
        if width > MAX_CSS_WIDTH or height > MAX_CSS_HEIGHT or width * height > MAX_CSS_AREA:
            hint = " (check its \\hspace and \\genfrac sizes)" if _amplified(tex) else ""
            raise MathError(
                tex,
                f"too large: the image would be about {width:.0f}x{height:.0f} pixels, more "
                f"than the {MAX_CSS_WIDTH}x{MAX_CSS_HEIGHT} (and {MAX_CSS_AREA:,} pixels) a "
                f"formula may take{hint}",
            )

    def _draw(self, tex: str, *, display: bool, color: str) -> MathImage:
        # Imported here, not at module level: most cards have no maths, and cached formulas
        # never need matplotlib (see the module docstring).
        import numpy as np
        from matplotlib.colors import to_rgba
        from matplotlib.font_manager import FontProperties
        from matplotlib.mathtext import MathTextParser

        red, green, blue, alpha = to_rgba(color)
        size_px = self._font_size * (1.2 if display else 1.0)
        # Computer Modern looks like the TeX the formulas were written for; the fonts ship with
        # matplotlib. MathTextParser("agg") rasterises with the Agg backend directly, giving a
        # tightly cropped alpha mask without a Figure (and without pyplot).
        prop = FontProperties(size=size_px, math_fontfamily="cm")
        dpi = 72 * self._scale
        try:
            if len(tex) > _MEASURE_FROM_LENGTH or _amplified(tex):
                self._check_size(tex, *_vector_extent(MathTextParser("path"), tex, dpi, prop))
            parsed = MathTextParser("agg").parse(f"${tex}$", dpi=dpi, prop=prop)
        except MathError:
            raise
        except Exception as exc:  # mathtext reports bad TeX as ValueError, odd TeX otherwise
            raise MathError(tex, _short_reason(exc)) from exc

        mask = np.asarray(parsed.image, dtype=np.uint8)
        self._check_size(tex, mask.shape[1], mask.shape[0])  # whatever the estimate missed
        mask = _pad_around_axis(
            mask, depth=float(parsed.depth), axis=_AXIS_EM * size_px * self._scale
        )
        # Pad to whole CSS pixels so that the width/height attributes scale the PNG exactly.
        css_w = math.ceil(mask.shape[1] / self._scale)
        css_h = math.ceil(mask.shape[0] / self._scale)
        full_w, full_h = round(css_w * self._scale), round(css_h * self._scale)
        top = (full_h - mask.shape[0]) // 2
        left = (full_w - mask.shape[1]) // 2
        rgba = np.zeros((full_h, full_w, 4), dtype=np.uint8)
        rgba[..., :3] = (round(red * 255), round(green * 255), round(blue * 255))
        rgba[top : top + mask.shape[0], left : left + mask.shape[1], 3] = np.rint(
            mask.astype(np.float32) * alpha
        ).astype(np.uint8)
        png = _encode_png_rgba(rgba.tobytes(), full_w, full_h)
        return MathImage(png, css_w, css_h)


def _amplified(tex: str) -> bool:
    return any(command in tex for command in _AMPLIFIERS)


def _vector_extent(parser: Any, tex: str, dpi: float, prop: Any) -> tuple[float, float]:
    """An upper bound of the raster's width and height in pixels, found without rasterising.

    mathtext's vector output gives every glyph's origin and every rule; a glyph reaches at most
    two of its font sizes from its origin. The raster also spans the origin and the box's
    height and depth, which are added in full (an over-estimate is harmless: it is only
    compared with caps far above any real formula).
    """
    parsed = parser.parse(f"${tex}$", dpi=dpi, prop=prop)
    xs, ys = [0.0], [0.0]
    for glyph in parsed.glyphs:  # (font, size in points, ..., x, y)
        reach = 2 * float(glyph[1]) * dpi / 72
        xs += [float(glyph[-2]) - reach, float(glyph[-2]) + reach]
        ys += [float(glyph[-1]) - reach, float(glyph[-1]) + reach]
    for x, y, w, h in parsed.rects:
        xs += [float(x), float(x) + float(w)]
        ys += [float(y), float(y) + float(h)]
    height = 2 * (max(ys) - min(ys)) + abs(float(parsed.height)) + abs(float(parsed.depth))
    return max(xs) - min(xs), height


def _short_reason(exc: Exception) -> str:
    """mathtext's last message line, without the parser's class name and its long grammar."""
    lines = str(exc).strip().splitlines()
    reason = lines[-1] if lines else type(exc).__name__
    _, sep, rest = reason.partition("Exception: ")
    reason = rest if sep else reason
    if reason.startswith("Expected {"):  # pyparsing dumps its whole alternative here
        reason = "unexpected input" + reason[reason.rfind("}, found") + 1 :]
    return reason if len(reason) <= 160 else reason[:159] + "…"


def _pad_around_axis(mask: np.ndarray, *, depth: float, axis: float) -> np.ndarray:
    """Pad the image so that its vertical centre is the maths axis.

    QTextBrowser can only centre an image on the line (``vertical-align: middle``); centring on
    the axis, which is where TeX centres fractions and operators, lines the formula up with the
    surrounding text whatever its ascent and depth.
    """
    import numpy as np

    height = mask.shape[0]
    below = depth + axis  # pixels from the bottom edge to the axis
    above = height - below
    extra = round(abs(above - below))
    if extra == 0:
        return mask
    pad = ((0, extra), (0, 0)) if above > below else ((extra, 0), (0, 0))
    return np.pad(mask, pad)


def _encode_png_rgba(rgba: bytes, width: int, height: int) -> bytes:
    """A minimal PNG encoder (8-bit RGBA, no filtering): small formulas compress well anyway."""
    stride = width * 4
    raw = b"".join(b"\x00" + rgba[y * stride : (y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        _PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _png_size(png: bytes) -> tuple[int, int] | None:
    """Width and height in pixels from a PNG's header, or None if it is not a complete PNG."""
    if len(png) < 33 or not png.startswith(_PNG_SIGNATURE) or png[12:16] != b"IHDR":
        return None
    if not png.endswith(b"IEND\xaeB`\x82"):
        return None
    width, height = struct.unpack(">II", png[16:24])
    if width == 0 or height == 0:
        return None
    return width, height

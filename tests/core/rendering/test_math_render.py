"""Formulas become sharp, transparent PNGs in the theme's colour, cached in memory and on disk."""

from __future__ import annotations

import base64
import io
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studyapp.core.rendering.math_render import (
    MAX_CSS_HEIGHT,
    MAX_CSS_WIDTH,
    MathError,
    MathImage,
    MathRenderer,
)

ROOT = Path(__file__).resolve().parents[3]


def pixels(image: MathImage) -> np.ndarray:
    """The PNG decoded by Pillow (not by our encoder's code), as a height x width x 4 array."""
    with Image.open(io.BytesIO(image.png)) as png:
        return np.asarray(png.convert("RGBA"))


def test_formula_is_a_transparent_png_in_the_requested_colour() -> None:
    image = MathRenderer(scale=2.0).render("x_1 + y_2", display=False, color="#123456")
    png = pixels(image)
    assert png.shape[:2] == (image.height * 2, image.width * 2)  # drawn at 2x for HiDPI
    assert 20 < image.width < 200 and 8 < image.height < 60
    alpha = png[..., 3]
    assert alpha[0, 0] == 0 and alpha[-1, -1] == 0  # transparent background
    assert alpha.max() == 255  # the glyphs themselves are opaque
    inked = {tuple(rgb) for rgb in png[alpha > 0][:, :3].tolist()}
    assert inked == {(0x12, 0x34, 0x56)}


def test_scale_changes_pixels_not_css_size() -> None:
    at1 = MathRenderer(scale=1.0).render(r"\alpha + \beta", display=False, color="black")
    at2 = MathRenderer(scale=2.0).render(r"\alpha + \beta", display=False, color="black")
    assert abs(at1.width - at2.width) <= 1 and abs(at1.height - at2.height) <= 1
    assert pixels(at2).shape[1] > pixels(at1).shape[1]


def test_display_maths_is_larger_than_inline() -> None:
    renderer = MathRenderer()
    inline = renderer.render(r"\sum_i x_i", display=False, color="#000000")
    display = renderer.render(r"\sum_i x_i", display=True, color="#000000")
    assert display.width > inline.width and display.height > inline.height


def test_data_uri_round_trips() -> None:
    image = MathRenderer().render("a^2", display=False, color="#000000")
    prefix = "data:image/png;base64,"
    uri = image.data_uri()
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix) :]) == image.png


@pytest.mark.parametrize("tex", [r"\frac{1}", "x^", r"\nosuchcommand", "{", "   "])
def test_invalid_tex_raises_math_error_naming_it(tex: str) -> None:
    with pytest.raises(MathError) as info:
        MathRenderer().render(tex, display=False, color="#000000")
    assert isinstance(info.value, ValueError)
    assert tex.strip() in str(info.value)


def test_whitespace_and_newlines_are_one_formula() -> None:
    renderer = MathRenderer()
    one_line = renderer.render("a + b", display=True, color="#000000")
    assert renderer.render("a\n  +\tb", display=True, color="#000000") is one_line


def test_memory_cache_returns_the_same_image() -> None:
    renderer = MathRenderer()
    first = renderer.render(r"\sqrt{2}", display=False, color="#000000")
    assert renderer.render(r"\sqrt{2}", display=False, color="#000000") is first
    other_colour = renderer.render(r"\sqrt{2}", display=False, color="#ffffff")
    assert other_colour.png != first.png


def test_disk_cache_files_are_named_by_sha256_and_reused(tmp_path: Path) -> None:
    image = MathRenderer(cache_dir=tmp_path).render("e^{i\\pi}", display=False, color="#000000")
    files = list(tmp_path.iterdir())
    assert len(files) == 1  # no temporary file left behind
    (cached,) = files
    assert cached.suffix == ".png" and len(cached.stem) == 64
    assert set(cached.stem) <= set("0123456789abcdef")
    assert cached.read_bytes() == image.png

    again = MathRenderer(cache_dir=tmp_path).render("e^{i\\pi}", display=False, color="#000000")
    assert again == image


def test_corrupt_cache_file_is_drawn_again(tmp_path: Path) -> None:
    good = MathRenderer(cache_dir=tmp_path).render("x^2", display=False, color="#000000")
    (cached,) = tmp_path.iterdir()
    cached.write_bytes(good.png[:40])  # a write cut short by a crash
    again = MathRenderer(cache_dir=tmp_path).render("x^2", display=False, color="#000000")
    assert again == good
    assert cached.read_bytes() == good.png


def test_cached_formula_does_not_import_matplotlib(tmp_path: Path) -> None:
    MathRenderer(cache_dir=tmp_path).render(r"\frac{a}{b}", display=True, color="#e6edf3")
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from studyapp.core.rendering.math_render import MathRenderer
        assert "matplotlib" not in sys.modules, "imported by the module"
        renderer = MathRenderer(cache_dir=Path({str(tmp_path)!r}))
        image = renderer.render(r"\\frac{{a}}{{b}}", display=True, color="#e6edf3")
        assert image.png.startswith(b"\\x89PNG") and image.width > 0
        assert "matplotlib" not in sys.modules, "imported for a cached formula"
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize(
    "tex",
    [
        r"a\hspace{1000000}b",  # 3.6 GiB of raster before the cap
        r"a\hspace{-1000000}b",  # the same width, leftwards
        r"a" + r"\hspace{40}" * 100 + "b",  # many small spaces add up
        r"\genfrac{(}{)}{1000}{0}{a}{b}",  # a rule 1000 points thick
    ],
    ids=["hspace", "negative", "many", "genfrac"],
)
def test_huge_formula_is_refused_before_it_is_rasterised(tex: str) -> None:
    """The size is estimated from mathtext's layout: no huge array is ever allocated."""
    renderer = MathRenderer(scale=2.0)
    renderer.render("x", display=False, color="black")  # fonts loaded outside the measurement
    tracemalloc.start()
    try:
        with pytest.raises(MathError, match="too large") as caught:
            renderer.render(tex, display=False, color="black")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024, f"{peak / 2**20:.0f} MiB allocated"
    assert f"{MAX_CSS_WIDTH}x{MAX_CSS_HEIGHT}" in caught.value.reason


def test_space_without_ink_and_modest_spacing_still_render() -> None:
    renderer = MathRenderer(scale=2.0)
    blank = renderer.render(r"\hspace{100000}", display=False, color="black")  # nothing to ink
    assert blank.width * blank.height < 100
    spaced = renderer.render(r"a\hspace{2}b", display=True, color="black")
    assert 40 < spaced.width < 200

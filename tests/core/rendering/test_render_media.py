"""Imported pictures show from the media folder, and nothing outside it is ever reachable."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from studyapp.core.rendering import render
from studyapp.core.rendering.render import LIGHT, Renderer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x02" * 32


@pytest.fixture
def media(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "media"
    folder.mkdir(parents=True)
    (folder / "cat.png").write_bytes(PNG)
    (folder / "my pic.jpg").write_bytes(JPEG)
    (folder / "fake.png").write_text('<svg onload="alert(1)"></svg>')
    (tmp_path / "data" / "secret.png").write_bytes(PNG)
    return folder


def sources(fragment: str) -> list[str]:
    return re.findall(r'<img[^>]*\ssrc="([^"]*)"', fragment)


def test_markdown_and_html_images_are_inlined(media: Path) -> None:
    renderer = Renderer(media_dir=media)
    uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert sources(renderer.markdown_to_html("See ![a cat](cat.png)", LIGHT)) == [uri]
    assert sources(renderer.markdown_to_html('<img src="cat.png" width="20">', LIGHT)) == [uri]
    jpeg = sources(renderer.markdown_to_html('<img src="my pic.jpg">', LIGHT))
    assert jpeg == ["data:image/jpeg;base64," + base64.b64encode(JPEG).decode()]
    encoded = sources(renderer.markdown_to_html("![](my%20pic.jpg)", LIGHT))
    assert encoded == jpeg


@pytest.mark.parametrize(
    "text",
    [
        "![](../secret.png)",
        '<img src="../secret.png">',
        '<img src="%2e%2e%2fsecret.png">',
        "![](/etc/passwd)",
        "![](file:///etc/passwd)",
        "![](http://example.com/cat.png)",
        '<img src="C:\\cat.png">',
        "![](missing.png)",
        "![](fake.png)",  # an SVG with a script, named .png: the bytes decide, and it is refused
        "![](.hidden.png)",
    ],
)
def test_nothing_outside_the_media_folder_or_remote_is_shown(media: Path, text: str) -> None:
    (media / ".hidden.png").write_bytes(PNG)
    fragment = Renderer(media_dir=media).markdown_to_html(text, LIGHT)
    assert sources(fragment) == [] and "data:" not in fragment


def test_missing_picture_says_so_and_shows_once_it_arrives(media: Path) -> None:
    renderer = Renderer(media_dir=media)
    fragment = renderer.markdown_to_html("![](later.png)", LIGHT)
    assert sources(fragment) == [] and "[later.png: not found]" in fragment
    (media / "later.png").write_bytes(PNG)  # e.g. an import ran meanwhile
    assert sources(renderer.markdown_to_html("![](later.png)", LIGHT)) != []


def test_too_large_pictures_are_not_inlined(media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "MEDIA_MAX_BYTES", 10)
    fragment = Renderer(media_dir=media).markdown_to_html("![](cat.png)", LIGHT)
    assert sources(fragment) == [] and "too large" in fragment


def test_without_a_media_folder_names_are_not_resolved(media: Path) -> None:
    assert sources(Renderer().markdown_to_html("![](cat.png)", LIGHT)) == []


def test_export_keeps_names_and_formulas_as_mathjax(media: Path) -> None:
    renderer = Renderer(media_dir=media, export=True)
    fragment = renderer.markdown_to_html("Area $\\pi r^2 < x$ ![](cat.png)\n\n$$a_1$$", LIGHT)
    assert sources(fragment) == ["cat.png"]
    assert "\\(\\pi r^2 &lt; x\\)" in fragment and "\\[a_1\\]" in fragment
    assert sources(renderer.markdown_to_html("![](../secret.png)", LIGHT)) == []

"""Render ``resources/icons/studyapp.svg`` into the PNG sizes the desktop and the wheel ship.

Why a script: the PNGs are committed (a desktop without an SVG loader still shows the icon), and
whoever redraws the SVG reruns this rather than exporting by hand. Qt's own SVG renderer draws
them, offscreen, so no other tool is needed:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from studyapp.resources import ICON_SIZES

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(svg: Path, size: int, out: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):  # the format follows the suffix
        raise SystemExit(f"{out}: cannot write")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    svg = ICONS / "studyapp.svg"
    for size in ICON_SIZES:
        out = ICONS / f"studyapp-{size}.png"
        render(svg, size, out)
        print(out.relative_to(ICONS.parents[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

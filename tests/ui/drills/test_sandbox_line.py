"""The Drills page says which sandbox protections a run gets, next to the device."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from studyapp.core.drills.sandbox import confine
from studyapp.ui.drills.view import DrillsView


def test_the_device_line_names_the_sandbox(qtbot: QtBot) -> None:
    view = DrillsView()
    qtbot.addWidget(view)
    view.set_device("Device: CPU")
    text = view.device_label.text()
    assert text.startswith("Device: CPU · Sandbox: ")
    for item in confine.probe():
        short = "files" if item.name == "filesystem" else item.name
        enforced = text.split("Sandbox: ", 1)[1].split("—")[0]
        assert (short in enforced) == item.active, (item, text)
    assert view.device_label.toolTip().count("\n") == len(confine.probe()) - 1

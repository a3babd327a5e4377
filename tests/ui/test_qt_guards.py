"""The PySide6 6.12 reference-count guard, and the silent voice the tests run with."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from kiosk.ui.qtcompat import EXTRA_REFERENCES, immortalize_singletons
from kiosk.ui.voice import SilentVoice, choose_voice


class Emitter(QObject):
    changed = Signal()


def test_many_emits_cannot_exhaust_true(qapp):
    immortalize_singletons()
    emitter = Emitter()
    before = sys.getrefcount(True)
    for _ in range(20_000):
        emitter.changed.emit()
    assert sys.getrefcount(True) > EXTRA_REFERENCES // 2
    assert before - sys.getrefcount(True) <= 20_000  # the leak is bounded by the emits, and harmless


def test_silent_voice_keeps_what_it_was_asked_to_say():
    voice = choose_voice(enabled=False)
    assert type(voice) is SilentVoice
    voice.say("请将身份证放在读卡区", "zh")
    assert list(voice.said) == [("请将身份证放在读卡区", "zh")]

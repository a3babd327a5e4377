"""kiosk.ui.startbridge: the start screen's first-frame stand-in shows what the real bridge would show
(the session's initial view on every key the start screen reads, the same theme and words), and
importing the start path (kiosk.ui.app) loads neither the session machinery nor the view models."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kiosk.services.runtime import PendingServices
from kiosk.session import ApplicantSession, FakeClock
from kiosk.session.messages import instruction
from kiosk.ui.startbridge import START_VIEW_KEYS, StartBridge, start_view
from kiosk.ui.strings import texts, word
from kiosk.ui.theme import theme_values
from kiosk.ui.views.screen import screen_view


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_start_instruction_is_the_sessions(language: str) -> None:
    assert word(language, "startInstruction") == instruction("start", language)


def test_the_stand_in_view_is_the_sessions_initial_view(today) -> None:
    session = ApplicantSession(PendingServices().directory, FakeClock(today))
    real = screen_view(session.state, None, session.today())
    assert {key: real[key] for key in START_VIEW_KEYS} == start_view()


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_stand_in_shows_the_chinese_start_screen(orientation: str) -> None:
    stand_in = StartBridge(orientation, demo=True)
    assert stand_in.property("theme") == theme_values(False, orientation)
    assert stand_in.property("t") == texts("zh")
    assert stand_in.property("page") == "home" and stand_in.property("starting") is True
    assert stand_in.property("ready") is False and stand_in.property("demo") is True


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, tuple]] = []

    def part(self, part: str):
        recorder = self

        class Part:
            def __getattr__(self, name: str):
                return lambda *args: recorder.calls.append((part, name, args))

        return Part()


def test_taps_before_the_real_bridge_are_replayed_on_it_in_order() -> None:
    stand_in = StartBridge()
    actions, pages = stand_in.property("actions"), stand_in.property("startPages")
    actions.setElderMode(True)
    actions.setLanguage("en")
    actions.setElderMode(True)  # QML asks for the opposite of the stand-in's unchanging view: a second tap
    pages.chooseAudience("个人")
    actions.back()  # hidden on the start screen: nothing to replay
    recorder = _Recorder()
    real = type("Bridge", (), {"act": recorder.part("act"), "start": recorder.part("start")})()
    stand_in.replay(real)
    assert recorder.calls == [("act", "setElderMode", (True,)), ("act", "setLanguage", ("en",)),
                              ("act", "setElderMode", (False,)), ("start", "chooseAudience", ("个人",))]
    stand_in.replay(real)
    assert len(recorder.calls) == 4  # replayed once


PROBE = """
import json, sys
import kiosk.cli, kiosk.ui.demo_command, kiosk.ui.app
print(json.dumps(sorted(sys.modules)))
"""


def test_the_start_path_imports_no_session_view_model_or_service() -> None:
    """What the first frame must not wait for (issue 17): `launch` imports these after it."""
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                                           check=True).stdout))
    heavy = {"kiosk.session", "kiosk.ui.bridge", "kiosk.services.runtime", "kiosk.ui.techbridge",
             "kiosk.ui.views.screen", "kiosk.app", "kiosk.config", "forms"}
    assert loaded & heavy == set()

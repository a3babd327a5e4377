"""Reading instructions and errors aloud (elder mode), never on the GUI thread.

Three outputs behind one small interface (`say(text, language)`, `stop()`, `close()`):
- `QtVoice`: QTextToSpeech with a real engine (speechd, …; the "mock" engine is never used). Qt speaks
  asynchronously, so `say` returns at once.
- `EspeakVoice`: the espeak-ng program (`-v cmn` for Chinese, `-v en` for English), run by one daemon
  worker thread; a new text interrupts the one being spoken.
- `SilentVoice`: no engine on this machine: each text is logged and kept in `said` (the demo drawer
  and the tests read it).
`choose_voice()` picks the first that works here; `LazyVoice` does so on the first text (the kiosk's start
path: the start screen does not wait for a speech engine). Every voice keeps the texts it was asked to say in
`said` (most recent last, at most `KEEP_SAID`). `set_volume(0..100)` (config `speaker.volume`, the
technician panel's speaker test) sets the loudness: espeak-ng's amplitude, QTextToSpeech's volume.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import threading
from collections import deque

KEEP_SAID = 50
DEFAULT_VOLUME = 80
ESPEAK_STOP_TIMEOUT_SECONDS = 1.0
ESPEAK_VOICES = {"zh": "cmn", "en": "en"}
_log = logging.getLogger(__name__)


class VoiceError(RuntimeError):
    """A speech output could not be set up."""


class SilentVoice:
    """No speech engine: texts are logged and remembered, nothing is heard."""

    name = "silent"

    def __init__(self) -> None:
        self.said: deque[tuple[str, str]] = deque(maxlen=KEEP_SAID)
        self.volume = DEFAULT_VOLUME

    def set_volume(self, volume: int) -> None:
        """0 (silent) to 100 (loudest); the next text is spoken at it."""
        self.volume = max(0, min(100, int(volume)))

    def say(self, text: str, language: str) -> None:
        self.said.append((text, language))
        _log.info("voice (silent, no speech engine): %s", text)

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


class EspeakVoice(SilentVoice):
    """espeak-ng on a worker thread; a new text stops the one being spoken."""

    name = "espeak-ng"

    def __init__(self, program: str) -> None:
        super().__init__()
        self._program = program
        self._texts: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._run, name="voice espeak-ng", daemon=True)
        self._thread.start()

    def say(self, text: str, language: str) -> None:
        self.said.append((text, language))
        self.stop()
        self._texts.put((text, language))

    def stop(self) -> None:
        with self._lock:
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()

    def close(self) -> None:
        self.stop()
        self._texts.put(None)

    def _run(self) -> None:
        while (item := self._texts.get()) is not None:
            while not self._texts.empty():  # only the newest text matters
                newer = self._texts.get()
                if newer is None:
                    return
                item = newer
            text, language = item
            voice = ESPEAK_VOICES.get(language, "cmn")
            try:
                with self._lock:
                    self._process = subprocess.Popen(
                        [self._program, "-v", voice, "-s", "150", "-a", str(self.volume * 2), text],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    )
                self._process.wait()
            except OSError as exc:
                _log.warning("voice: espeak-ng failed (%s); said silently: %s", exc, text)


class QtVoice(SilentVoice):
    """QTextToSpeech with a real engine (asynchronous in Qt itself)."""

    name = "qt"

    def __init__(self, engine: str) -> None:
        super().__init__()
        from PySide6.QtCore import QLocale
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._speech = QTextToSpeech(engine)
        if self._speech.state() == QTextToSpeech.State.Error:
            raise VoiceError(f"speech engine {engine!r}: {self._speech.errorString()}")
        self._locales = {"zh": QLocale(QLocale.Language.Chinese), "en": QLocale(QLocale.Language.English)}
        self.name = f"qt:{engine}"

    def set_volume(self, volume: int) -> None:
        super().set_volume(volume)
        self._speech.setVolume(self.volume / 100)

    def say(self, text: str, language: str) -> None:
        self.said.append((text, language))
        self._speech.setLocale(self._locales.get(language, self._locales["zh"]))
        self._speech.say(text)

    def stop(self) -> None:
        self._speech.stop()


def choose_voice(enabled: bool = True) -> SilentVoice:
    """The best speech output on this machine: Qt's engine, else espeak-ng, else silent (logged)."""
    if not enabled:
        return SilentVoice()
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech

        engines = [name for name in QTextToSpeech.availableEngines() if name != "mock"]
    except ImportError:
        engines = []
    for engine in engines:
        try:
            return QtVoice(engine)
        except VoiceError as exc:
            _log.info("voice: %s", exc)
    program = shutil.which("espeak-ng")
    if program:
        return EspeakVoice(program)
    _log.warning("voice: neither a Qt speech engine nor espeak-ng is available; speaking silently")
    return SilentVoice()


class LazyVoice(SilentVoice):
    """`choose_voice(enabled)` on the first text, not at start: loading Qt's speech engine (and the
    multimedia plugins it tries) delayed the start screen, and most visits never turn on elder mode."""

    def __init__(self, enabled: bool = True) -> None:
        super().__init__()
        self._enabled = enabled
        self._voice: SilentVoice | None = None

    @property
    def name(self) -> str:  # type: ignore[override]
        return self._real().name

    def _real(self) -> SilentVoice:
        if self._voice is None:
            self._voice = choose_voice(self._enabled)
            self._voice.set_volume(self.volume)
        return self._voice

    def set_volume(self, volume: int) -> None:
        super().set_volume(volume)
        if self._voice is not None:
            self._voice.set_volume(self.volume)

    def say(self, text: str, language: str) -> None:
        self.said.append((text, language))
        self._real().say(text, language)

    def stop(self) -> None:
        if self._voice is not None:
            self._voice.stop()

    def close(self) -> None:
        if self._voice is not None:
            self._voice.close()


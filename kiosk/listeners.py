"""A list of callbacks that does not keep its listeners alive: bound methods are held weakly.

The kiosk lives as long as the process; objects that listen to it (an `EffectRunner` per `kiosk apply` or
per headless applicant) live one visit. Held strongly, every runner ever made — and the applicants'
names and answers it remembers — stayed reachable from the kiosk until the process ended (issue 17).
Here a bound method is held through `weakref.WeakMethod` (the listener goes with its object); any other
callable (a function, a lambda, a partial) is held strongly, since nothing else may be keeping it.
`remove` stops a listener at once. Thread-safe: listeners are called on printer and queue threads.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from types import MethodType
from typing import Any


class Listeners:
    """Callbacks called in the order added; `notify(*args)` calls each live one."""

    def __init__(self, *initial: Callable[..., Any]) -> None:
        self._lock = threading.Lock()
        self._refs: list[Callable[[], Callable[..., Any] | None]] = []
        for listener in initial:
            self.add(listener)

    def add(self, listener: Callable[..., Any]) -> None:
        ref = weakref.WeakMethod(listener) if isinstance(listener, MethodType) else _Strong(listener)
        with self._lock:
            self._refs.append(ref)

    def remove(self, listener: Callable[..., Any]) -> None:
        """Stop calling `listener` (nothing happens if it is not here)."""
        with self._lock:
            self._refs = [ref for ref in self._refs if ref() not in (None, listener)]

    def live(self) -> list[Callable[..., Any]]:
        """The listeners still alive (the dead ones are dropped)."""
        with self._lock:
            pairs = [(ref, ref()) for ref in self._refs]
            self._refs = [ref for ref, listener in pairs if listener is not None]
        return [listener for _, listener in pairs if listener is not None]

    def notify(self, *args: Any) -> None:
        for listener in self.live():
            listener(*args)

    def __len__(self) -> int:
        return len(self.live())


class _Strong:
    __slots__ = ("listener",)

    def __init__(self, listener: Callable[..., Any]) -> None:
        self.listener = listener

    def __call__(self) -> Callable[..., Any]:
        return self.listener

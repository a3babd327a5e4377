"""Option types shared by the `kiosk` subcommands: each refuses a value that cannot work, in one line."""

from __future__ import annotations

import argparse
import math

#: The longest any command waits for a printer: a day.
MAX_WAIT_SECONDS = 86_400.0


def wait_seconds(text: str) -> float:
    """A finite number of seconds from 0 (do not wait) to a day; `inf`, `nan` and negatives refused."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (math.isfinite(value) and 0 <= value <= MAX_WAIT_SECONDS):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a finite number of seconds from 0 to {MAX_WAIT_SECONDS:g}")
    return value

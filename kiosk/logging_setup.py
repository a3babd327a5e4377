"""Logging that never leaks an ID number or a phone number.

`mask_personal_data(text)` replaces every 18-character ID number (17 digits + digit or X), every
15-digit first-generation ID number, and every mainland mobile number (1[3-9] + 9 digits, with an
optional +86 / 86 prefix) with its masked form: `5001**********0019`, `138****5678`.
`MaskingFilter` applies it to the fully formatted message of every record passing through a handler
(arguments included), and `MaskingFormatter` also masks exception text and stack traces.
`configure_logging()` installs both on one stderr handler of the root logger.

Numbers embedded in longer digit runs are left alone (a 20-digit job id is not an ID number).
"""

from __future__ import annotations

import logging
import re
import sys

# 18-char ID (…X allowed), 15-digit old ID, mobile phone; not inside a longer run of digits/letters.
_ID18 = r"\d{17}[\dXx]"
_ID15 = r"\d{15}"
_MOBILE = r"(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}"
_PATTERN = re.compile(rf"(?<![0-9A-Za-z])(?:(?P<id>{_ID18}|{_ID15})|(?P<phone>{_MOBILE}))(?![0-9A-Za-z])")


def _mask_match(match: re.Match[str]) -> str:
    text = match.group(0)
    if match.group("id"):
        return text[:4] + "*" * (len(text) - 8) + text[-4:]
    digits = re.sub(r"\D", "", text)[-11:]
    return digits[:3] + "****" + digits[-4:]


def mask_personal_data(text: str) -> str:
    """Mask ID numbers and mobile numbers anywhere in `text`.

    >>> mask_personal_data("card 500151199001010019 phone 13812345678")
    'card 5001**********0019 phone 138****5678'
    """
    return _PATTERN.sub(_mask_match, text)


class MaskingFilter(logging.Filter):
    """Rewrites each record's message (with its arguments merged in) through `mask_personal_data`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True


class MaskingFormatter(logging.Formatter):
    """A Formatter whose whole output, tracebacks included, goes through `mask_personal_data`."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal_data(super().format(record))


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: int = logging.INFO, stream=None) -> logging.Handler:
    """Install one masking handler on the root logger, replacing handlers installed here before and
    any plain stderr handler a library's `logging.basicConfig()` put there (python-escpos calls it at
    import time): such a handler would print records without masking."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_miaoban_masking", False) or type(handler) is logging.StreamHandler:
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(MaskingFormatter(LOG_FORMAT))
    handler.addFilter(MaskingFilter())
    handler._miaoban_masking = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return handler

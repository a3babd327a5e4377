"""Log masking: ID numbers (18 and 15 characters) and mobile numbers never reach a log line in full."""

from __future__ import annotations

import io
import logging

import pytest

from kiosk.logging_setup import MaskingFilter, MaskingFormatter, mask_personal_data


@pytest.mark.parametrize(("text", "expected"), [
    ("500151199001010019", "5001**********0019"),
    ("id=11010519491231002X.", "id=1101**********002X."),
    ("old card 110105491231002 ok", "old card 1101*******1002 ok"),
    ("call 13812345678", "call 138****5678"),
    ("tel +86 138-1234-5678", "tel 138****5678"),
    ("(8613912345678)", "(139****5678)"),
    ("job 12345678901234567890 stays", "job 12345678901234567890 stays"),
    ("receipt 500151-20261121-K01-0001", "receipt 500151-20261121-K01-0001"),
    ("uscc 92500151MA5UBL3K3E", "uscc 92500151MA5UBL3K3E"),
    ("two: 500151199001010019,13812345678", "two: 5001**********0019,138****5678"),
])
def test_mask_personal_data(text, expected):
    assert mask_personal_data(text) == expected


def _logger_with_stream() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(MaskingFormatter("%(levelname)s %(message)s"))
    handler.addFilter(MaskingFilter())
    logger = logging.Logger("masking-test")  # not registered globally: no global state touched
    logger.addHandler(handler)
    return logger, stream


def test_arguments_and_messages_are_masked_in_log_records():
    logger, stream = _logger_with_stream()
    logger.warning("card %s read, phone %s", "500151199001010019", 13812345678)
    logger.info({"id_number": "50011219920512004X"})
    output = stream.getvalue()
    assert "500151199001010019" not in output and "13812345678" not in output
    assert "50011219920512004X" not in output
    assert "5001**********0019" in output and "138****5678" in output and "5001**********004X" in output


def test_tracebacks_are_masked():
    logger, stream = _logger_with_stream()
    try:
        raise ValueError("bad card 500151199001010019")
    except ValueError:
        logger.exception("failed")
    output = stream.getvalue()
    assert "Traceback" in output and "ValueError" in output
    assert "500151199001010019" not in output and "5001**********0019" in output


def test_configure_logging_drops_a_library_basic_config_handler():
    """python-escpos calls logging.basicConfig() at import: that unmasked handler must not survive."""
    from kiosk.logging_setup import configure_logging

    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    leaked = io.StringIO()
    plain = logging.StreamHandler(leaked)
    root.addHandler(plain)
    masked = io.StringIO()
    try:
        installed = configure_logging(logging.INFO, stream=masked)
        logging.getLogger("test.privacy").info("card %s read", "50015119850312003X")
    finally:
        for handler in list(root.handlers):
            if handler not in saved_handlers:
                root.removeHandler(handler)
        for handler in saved_handlers:
            if handler not in root.handlers:
                root.addHandler(handler)
        root.setLevel(saved_level)
    assert plain is not installed
    assert leaked.getvalue() == ""
    assert "5001**********003X" in masked.getvalue() and "50015119850312003X" not in masked.getvalue()

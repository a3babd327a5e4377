"""DLE EOT reply parsing, the words shown for each condition, and "no answer is an error"."""

import pytest

from printers.errors import CoverOpen, PaperOut, PrinterOffline, PrinterTimeout
from printers.status import PrinterStatus, parse_status, query_status, raise_if_not_ready, unknown_status


@pytest.mark.parametrize(("replies", "code", "ready"), [
    ((0x12, 0x12, 0x12), "ready", True),
    ((0x12, 0x12, 0x1E), "paper-near-end", True),
    ((0x1A, 0x32, 0x72), "paper-out", False),
    ((0x1A, 0x32, 0x7E), "paper-out", False),
    ((0x1A, 0x16, 0x12), "cover-open", False),
    ((0x1A, 0x52, 0x12), "error", False),
    ((0x1A, 0x12, 0x12), "offline", False),
    ((0x12, 0x32, 0x12), "paper-out", False),  # stopped by paper end, sensor not yet reporting
])
def test_parse_status(replies, code, ready):
    status = parse_status(*replies)
    assert status.code == code
    assert status.ready is ready


def test_every_code_has_chinese_and_english_words():
    replies = [(0x12, 0x12, 0x12), (0x12, 0x12, 0x1E), (0x1A, 0x32, 0x72), (0x1A, 0x16, 0x12),
               (0x1A, 0x52, 0x12), (0x1A, 0x12, 0x12)]
    statuses = [parse_status(*reply) for reply in replies] + [unknown_status("no reply")]
    zh = {s.describe_zh() for s in statuses}
    en = {s.describe_en() for s in statuses}
    assert len(zh) == len(en) == len(statuses)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in zh)
    assert parse_status(0x1A, 0x32, 0x7E).describe_zh() == "打印机缺纸，请工作人员装入打印纸"
    low_and_open = PrinterStatus(online=True, cover_open=True, paper_near_end=True)
    assert "paper nearly used up" in low_and_open.describe_en()


def test_unknown_status_is_never_ready():
    status = unknown_status("printer did not answer")
    assert not status.ready
    assert status.code == "no-answer"
    assert "did not answer" in status.describe_en()


class ScriptedChannel:
    """Replies from a script, one entry per read call (b"" = nothing came before the timeout)."""

    def __init__(self, reads):
        self.reads = list(reads)
        self.written = bytearray()

    def write(self, data):
        self.written += data

    def read(self, size, timeout):
        return self.reads.pop(0) if self.reads else b""


def test_query_sends_dle_eot_1_2_4_and_skips_non_status_bytes():
    channel = ScriptedChannel([b"\x12", b"\x00", b"\x16", b"\x7e"])  # 0x00: not a status byte (ASB noise)
    status = query_status(channel, timeout=0.5)
    assert bytes(channel.written) == b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
    assert status.cover_open and status.paper_out


def test_silence_raises_timeout_never_paper_ok():
    channel = ScriptedChannel([])
    with pytest.raises(PrinterTimeout, match="did not answer status query 10 04 01"):
        query_status(channel, timeout=0.01)


@pytest.mark.parametrize(("replies", "error"), [
    ((0x1A, 0x32, 0x72), PaperOut), ((0x1A, 0x16, 0x12), CoverOpen), ((0x1A, 0x52, 0x12), PrinterOffline),
])
def test_raise_if_not_ready(replies, error):
    status = parse_status(*replies)
    with pytest.raises(error) as caught:
        raise_if_not_ready(status, "before the job")
    assert caught.value.status is status
    raise_if_not_ready(parse_status(0x12, 0x12, 0x1E), "ok")  # near end still prints

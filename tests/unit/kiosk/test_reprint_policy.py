"""The lookup-and-reprint policy, pure and table-driven: the throttle on a fake clock, the holder rule,
the masked status, the print outcome and the words."""

from __future__ import annotations

import pytest

from kiosk.reprint_policy import (
    Code,
    LookupThrottle,
    ThrottlePolicy,
    clean_number,
    decide_reprint,
    holder_status,
    lookup_text,
    minutes_left,
    print_outcome,
)
from kiosk.session import PrintFailed, PrintFaultKind, PrintFinished


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


POLICY = ThrottlePolicy(max_failures=5, window_seconds=180.0, lock_seconds=300.0)


# Each row: seconds between failures (the first at t=0), and for each failure whether it starts a lock.
@pytest.mark.parametrize(("gaps", "locks"), [
    ([0, 10, 10, 10, 10], [False, False, False, False, True]),        # 5 within 40 s: locked
    ([0, 10, 10, 10], [False, False, False, False]),                  # 4: open
    ([0, 50, 50, 50, 50], [False, False, False, False, False]),       # the first left the 180 s window
    ([0, 44, 44, 44, 44], [False, False, False, False, True]),        # 176 s from first to fifth
    ([0, 1, 1, 1, 1, 1, 1], [False, False, False, False, True, False, False]),  # during a lock: not counted
])
def test_throttle_locks_on_a_burst_within_the_window(gaps, locks):
    clock = Clock()
    throttle = LookupThrottle(POLICY, clock)
    seen = []
    for gap in gaps:
        clock.now += gap
        seen.append(throttle.record_failure())
    assert seen == locks


@pytest.mark.parametrize(("after", "locked_for"), [(0, 300), (1, 299), (299.5, 1), (300, 0), (900, 0)])
def test_a_lock_lasts_lock_seconds(after, locked_for):
    clock = Clock()
    throttle = LookupThrottle(POLICY, clock)
    for _ in range(5):
        throttle.record_failure()
    clock.now += after
    assert throttle.seconds_locked() == locked_for


def test_after_a_lock_the_count_starts_again():
    clock = Clock()
    throttle = LookupThrottle(POLICY, clock)
    for _ in range(5):
        throttle.record_failure()
    clock.now += 301
    assert throttle.seconds_locked() == 0 and throttle.failures == 0
    assert [throttle.record_failure() for _ in range(5)] == [False, False, False, False, True]


@pytest.mark.parametrize("bad", [dict(max_failures=0), dict(window_seconds=0), dict(lock_seconds=-1)])
def test_a_throttle_policy_must_make_sense(bad):
    with pytest.raises(ValueError):
        ThrottlePolicy(**bad)


# Each row: purged, the card is the holder's, the latest job's state -> the refusal (None: print).
@pytest.mark.parametrize(("purged", "holder", "job", "refusal"), [
    (False, True, "done", None),
    (False, True, "failed", None),
    (False, True, "uncertain", None),
    (False, True, "held", None),
    (False, False, "done", Code.NOT_HOLDER),
    (False, False, None, Code.NOT_HOLDER),          # another card learns nothing about the slip
    (False, False, "queued", Code.NOT_HOLDER),
    (True, True, "done", Code.PURGED),
    (True, False, "done", Code.PURGED),
    (False, True, None, Code.NO_SLIP),
    (False, True, "queued", Code.IN_QUEUE),
    (False, True, "printing", Code.IN_QUEUE),
])
def test_only_the_holders_card_reprints(purged, holder, job, refusal):
    assert decide_reprint(purged=purged, holder_matches=holder, last_job_state=job) == refusal


@pytest.mark.parametrize(("kwargs", "expected"), [
    (dict(holder_name="张伟", holder_id_masked="5001**********0019", decision="approved", purged=False,
          last_job_state="done"),
     dict(holder_name="张*", holder_id="5001**********0019", decision="approved", printed="凭证已打印")),
    (dict(holder_name="欧阳娜娜", holder_id_masked="5001**********002X", decision="accepted", purged=False,
          last_job_state="held"),
     dict(holder_name="欧***", holder_id="5001**********002X", decision="accepted",
          printed="凭证未打印，已交工作人员处理")),
    (dict(holder_name="张伟", holder_id_masked="500151199001010019", decision="approved", purged=False,
          last_job_state=None),  # a column that somehow holds a full number is masked again
     dict(holder_name="张*", holder_id="5001**********0019", printed="没有打印任务")),
    (dict(holder_name="", holder_id_masked="", decision="approved", purged=True, last_job_state="done"),
     dict(holder_name="—", holder_id="—", decision="purged", status="资料已按规定清除")),
])
def test_the_status_masks_the_holder(kwargs, expected):
    status = holder_status(number="L-1", service="公共场所卫生许可", created_at="2026-11-21T08:00:00.000000+00:00",
                           decided_at="2026-11-21T08:01:00.000000+00:00", **kwargs)
    shown = status.to_dict()
    assert {key: shown[key] for key in expected} == expected
    assert shown["applied_on"] == "2026-11-21" and shown["service"] == "公共场所卫生许可"
    assert "张伟" not in str(shown) and "500151199001010019" not in str(shown)


def test_the_status_speaks_english():
    status = holder_status(number="L-1", holder_name="JOHN SMITH", holder_id_masked="9999**********0001",
                           service="x", created_at="2026-11-21", decided_at=None, decision="accepted",
                           purged=False, last_job_state="done", language="en")
    assert (status.holder_name, status.status, status.printed, status.decided_on) == (
        "J*********", "Accepted, awaiting staff review", "Slip printed", "")


@pytest.mark.parametrize(("event", "code"), [
    (PrintFinished("3"), Code.REPRINTED),
    (PrintFailed(PrintFaultKind.PAPER_OUT, "paper out", "3"), Code.PAPER_OUT),
    (PrintFailed(PrintFaultKind.COVER_OPEN, "", "3"), Code.COVER_OPEN),
    (PrintFailed(PrintFaultKind.TIMEOUT, "", "3"), Code.NO_ANSWER),
    (PrintFailed(PrintFaultKind.OFFLINE, "refused", "3"), Code.PRINT_FAILED),
    (PrintFailed(PrintFaultKind.ERROR, "", "3"), Code.PRINT_FAILED),
])
def test_reprinted_only_when_the_printer_confirmed(event, code):
    assert print_outcome(event) == code


@pytest.mark.parametrize(("text", "number"), [
    ("500151-20261121-K01-0001", "500151-20261121-K01-0001"),
    ("  铜卫公证字〔2026〕第000001号\n", "铜卫公证字〔2026〕第000001号"),
    (" 500151 20261121\tK01 0001 ", "500151 20261121 K01 0001"),  # found loosely (forms.numbering.number_key)
    ("", None), ("   ", None), ("x" * 65, None), ("a\x00b", None),
])
def test_clean_number(text, number):
    assert clean_number(text) == number


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_code_has_words_in_both_languages(language):
    for code in Code:
        text = lookup_text(code, language, number="N-1", minutes=5)
        assert text and "{" not in text, code


@pytest.mark.parametrize(("seconds", "minutes"), [(1, 1), (60, 1), (61, 2), (300, 5)])
def test_minutes_left(seconds, minutes):
    assert minutes_left(seconds) == minutes

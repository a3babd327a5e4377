"""What the start screen's 扫码查询·补打 may show and print, pure (no I/O, no Qt, time through a clock).

- `LookupThrottle`: a burst of wrong lookups (`ThrottlePolicy.max_failures` unknown numbers or refused
  cards within `window_seconds`) locks the lookup for `lock_seconds`. Time is an injected monotonic
  clock, so the lock is tested without sleeping.
- `holder_status(...)`: what a typed or scanned number shows: the status with the holder masked
  (张*, 5001**********0019), the service, the dates and whether the slip printed. Never a full name or
  ID number: anyone can type a number.
- `decide_reprint(...)`: a reprint needs the holder's own ID card on the reader (its number matched
  against the application's by the caller); the first reason that refuses it, or None.
- `print_outcome(...)`: the print queue's answer for a reprint as a message code: 已补打 only once the
  printer confirmed the job; otherwise what happened (paper out, cover open, failed, no answer).
- `lookup_text(code, language, **values)`: the words for every code, Chinese and English.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import StrEnum

from kiosk.credentials.claims import mask_holder_name
from kiosk.session import PrintFailed, PrintFaultKind, PrintFinished


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many wrong lookups within how long lock the lookup, and for how long (seconds)."""

    max_failures: int = 5
    window_seconds: float = 180.0
    lock_seconds: float = 300.0

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.window_seconds <= 0 or self.lock_seconds <= 0:
            raise ValueError("a throttle needs at least one failure, a positive window and a positive lock")


class LookupThrottle:
    """Counts wrong lookups in a sliding window; `record_failure()` is True on the one that locks."""

    def __init__(self, policy: ThrottlePolicy | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy or ThrottlePolicy()
        self._clock = clock
        self._failures: deque[float] = deque()
        self._locked_until: float | None = None

    def seconds_locked(self) -> int:
        """Whole seconds the lookup stays locked (0: open)."""
        if self._locked_until is None:
            return 0
        left = self._locked_until - self._clock()
        if left <= 0:
            self._locked_until = None
            return 0
        return math.ceil(left)

    def record_failure(self) -> bool:
        """One wrong lookup (unknown number, another person's card). True when it starts a lock."""
        if self.seconds_locked():
            return False
        now = self._clock()
        self._failures.append(now)
        while self._failures and self._failures[0] <= now - self.policy.window_seconds:
            self._failures.popleft()
        if len(self._failures) < self.policy.max_failures:
            return False
        self._failures.clear()
        self._locked_until = now + self.policy.lock_seconds
        return True

    @property
    def failures(self) -> int:
        """Wrong lookups counted in the current window."""
        now = self._clock()
        return sum(1 for moment in self._failures if moment > now - self.policy.window_seconds)


class Code(StrEnum):
    """Every answer of the lookup page."""

    FOUND = "found"
    NOT_FOUND = "not_found"
    BAD_QR = "bad_qr"
    LOCKED = "locked"
    PLACE_CARD = "place_card"
    CARD_FAILED = "card_failed"
    NOT_HOLDER = "not_holder"
    PURGED = "purged"
    NO_SLIP = "no_slip"
    IN_QUEUE = "in_queue"
    PRINTING = "printing"
    REPRINTED = "reprinted"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    PRINT_FAILED = "print_failed"
    NO_ANSWER = "no_answer"
    UNAVAILABLE = "unavailable"
    NO_BUSINESS = "no_business"  # 一码通行: the card's holder is no business's legal representative
    ONECODE_PRINTED = "onecode_printed"  # 一码通行: the business codes printed
    BUSINESS_FOUND = "business_found"  # 一码通行: a scanned business code, its permits shown


#: A number typed or scanned is at most this long (a QR text is checked before this).
MAX_NUMBER_LENGTH = 64


def clean_number(text: str) -> str | None:
    """The number as typed, its spaces collapsed to one (people type 铜卫公证字 2026 000001; the store
    matches that loosely), or None when it cannot be one."""
    number = " ".join(text.split())
    if not number or len(number) > MAX_NUMBER_LENGTH or not number.isprintable():
        return None
    return number


@dataclass(frozen=True)
class HolderStatus:
    """What a number shows to whoever typed it: nothing that names the holder in full."""

    number: str
    holder_name: str      # masked: 张*
    holder_id: str        # masked: 5001**********0019
    service: str
    applied_on: str       # YYYY-MM-DD
    decided_on: str
    decision: str         # approved | accepted | purged
    status: str           # in words
    printed: str          # in words

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


_STATUS_WORDS = {
    "zh": {"approved": "已办结（秒批），证照已出", "accepted": "已受理，等待工作人员审核", "purged": "资料已按规定清除",
           "other": "已提交"},
    "en": {"approved": "Done (approved on the spot), licence issued", "accepted": "Accepted, awaiting staff review",
           "purged": "Personal data removed as the rules require", "other": "Submitted"},
}
_PRINT_WORDS = {
    "zh": {"done": "凭证已打印", "none": "没有打印任务", "held": "凭证未打印，已交工作人员处理",
           "failed": "凭证未打印，已交工作人员处理", "uncertain": "不确定是否打印，已交工作人员处理",
           "queued": "凭证正在排队打印", "printing": "凭证正在打印"},
    "en": {"done": "Slip printed", "none": "No print job", "held": "Slip not printed; handed to staff",
           "failed": "Slip not printed; handed to staff", "uncertain": "Unsure whether it printed; handed to staff",
           "queued": "Slip waiting to print", "printing": "Slip printing"},
}


def holder_status(*, number: str, holder_name: str | None, holder_id_masked: str | None, service: str,
                  created_at: str, decided_at: str | None, decision: str | None, purged: bool,
                  last_job_state: str | None, language: str = "zh") -> HolderStatus:
    """The masked status of one application (the store keeps the ID number already masked)."""
    words = _STATUS_WORDS.get(language, _STATUS_WORDS["zh"])
    prints = _PRINT_WORDS.get(language, _PRINT_WORDS["zh"])
    shown = "purged" if purged else decision if decision in ("approved", "accepted") else "other"
    return HolderStatus(
        number=number,
        holder_name=mask_holder_name(holder_name) if holder_name and not purged else "—",
        holder_id=_masked_again(holder_id_masked) if holder_id_masked and not purged else "—",
        service=service,
        applied_on=created_at[:10],
        decided_on=(decided_at or "")[:10],
        decision=shown,
        status=words.get(shown, words["other"]),
        printed=prints.get(last_job_state or "none", prints["none"]),
    )


def _masked_again(masked: str) -> str:
    """An already masked ID number, masked again if it somehow is not (keep 4 + 4)."""
    if "*" in masked:
        return masked
    return masked[:4] + "*" * max(len(masked) - 8, 0) + masked[-4:] if len(masked) > 8 else "*" * len(masked)


def decide_reprint(*, purged: bool, holder_matches: bool, last_job_state: str | None) -> Code | None:
    """Why a reprint is refused (None: print it). The card is checked first, so another person's card
    learns nothing about the slip; then what there is to print."""
    if purged:
        return Code.PURGED
    if not holder_matches:
        return Code.NOT_HOLDER
    if last_job_state is None:
        return Code.NO_SLIP
    if last_job_state in ("queued", "printing"):
        return Code.IN_QUEUE
    return None


def print_outcome(event: PrintFinished | PrintFailed) -> Code:
    """The queue's answer for a reprint job: REPRINTED only when the printer confirmed it."""
    if isinstance(event, PrintFinished):
        return Code.REPRINTED
    return {
        PrintFaultKind.PAPER_OUT: Code.PAPER_OUT,
        PrintFaultKind.COVER_OPEN: Code.COVER_OPEN,
        PrintFaultKind.TIMEOUT: Code.NO_ANSWER,
    }.get(event.kind, Code.PRINT_FAILED)


#: Answers after which the reprint job may still print while the page is open (it is watched).
STILL_WAITING = frozenset({Code.PRINTING, Code.PAPER_OUT, Code.COVER_OPEN, Code.NO_ANSWER})

_TEXTS: dict[str, dict[Code, str]] = {
    "zh": {
        Code.FOUND: "已找到编号 {number}。补打需要申请人本人的身份证：请点击“补打”后放证。",
        Code.NOT_FOUND: "没有找到这个编号“{number}”。请核对回执或证照上二维码下方的编号。",
        Code.BAD_QR: "这个二维码不是本厅签发的凭证，无法查询。",
        Code.LOCKED: "查询错误次数过多，查询已暂停。请 {minutes} 分钟后再试，或呼叫工作人员。",
        Code.PLACE_CARD: "请将申请人本人的身份证放在读卡区。只有持证人本人的身份证可以补打。",
        Code.CARD_FAILED: "读卡失败，请重新放置身份证。",
        Code.NOT_HOLDER: "这张身份证不是该申请人的。只有申请人本人的身份证可以补打；本次没有补打，已记录。",
        Code.PURGED: "该申请的个人资料已按规定清除，不能在此补打，请到窗口办理。",
        Code.NO_SLIP: "该申请没有可补打的凭证。",
        Code.IN_QUEUE: "该凭证还在打印或排队，请稍候；长时间没有出纸请呼叫工作人员。",
        Code.PRINTING: "正在补打，请稍候……",
        Code.REPRINTED: "已补打：{number}。请取走凭证和身份证。",
        Code.PAPER_OUT: "打印机缺纸，补打还没有打印出来。请呼叫工作人员加纸；加纸后会自动补打，请在此稍候。"
                        "离开本页后，补打交由工作人员处理。",
        Code.COVER_OPEN: "打印机盖没有关好，补打还没有打印出来。请呼叫工作人员；关好后会自动补打，请在此稍候。"
                         "离开本页后，补打交由工作人员处理。",
        Code.PRINT_FAILED: "打印机出现故障，补打没有打印出来，已交由工作人员处理。请呼叫工作人员。",
        Code.NO_ANSWER: "打印机没有应答，补打还没有打印出来。请呼叫工作人员；离开本页后，补打交由工作人员处理。",
        Code.UNAVAILABLE: "查询暂时无法使用，请呼叫工作人员。",
        Code.NO_BUSINESS: "没有查到以这张身份证为法定代表人（负责人）的经营者，未打印一码通行。如有疑问请到窗口咨询。",
        Code.ONECODE_PRINTED: "已打印一码通行：{number}。请取走凭条和身份证。",
        Code.BUSINESS_FOUND: "一码通行：{number}的全部许可如下，已过期的已标出。",
    },
    "en": {
        Code.FOUND: "Found number {number}. A reprint needs the holder's own ID card: tap Reprint, then lay it.",
        Code.NOT_FOUND: "No application has the number “{number}”. Check the number under the QR code.",
        Code.BAD_QR: "This QR code is not a credential issued by this hall; it cannot be looked up.",
        Code.LOCKED: "Too many wrong look-ups: look-up is paused. Try again in {minutes} min, or call staff.",
        Code.PLACE_CARD: "Lay the holder's own ID card on the reader. Only the holder's card can reprint.",
        Code.CARD_FAILED: "The card could not be read; lay it again.",
        Code.NOT_HOLDER: "This ID card is not the holder's. Only the holder's own card can reprint; nothing was "
                         "printed, and the attempt is recorded.",
        Code.PURGED: "This application's personal data has been removed as the rules require; ask at a window.",
        Code.NO_SLIP: "This application has no slip to reprint.",
        Code.IN_QUEUE: "The slip is still printing or waiting to print; if no paper comes out, call staff.",
        Code.PRINTING: "Reprinting, please wait…",
        Code.REPRINTED: "Reprinted: {number}. Take the slip and your ID card.",
        Code.PAPER_OUT: "The printer is out of paper; the reprint has not come out. Call staff to load paper; it "
                        "prints by itself then, please wait here. If you leave this page, staff take it over.",
        Code.COVER_OPEN: "The printer cover is open; the reprint has not come out. Call staff; it prints by itself "
                         "once closed, please wait here. If you leave this page, staff take it over.",
        Code.PRINT_FAILED: "The printer failed; the reprint did not come out and is handed to staff. Call staff.",
        Code.NO_ANSWER: "The printer did not answer; the reprint has not come out. Call staff; if you leave this "
                        "page, staff take it over.",
        Code.UNAVAILABLE: "Look-up is not available right now; call staff.",
        Code.NO_BUSINESS: "No business has this card's holder as its legal representative; no code was printed. "
                          "Ask at a window if this is wrong.",
        Code.ONECODE_PRINTED: "One-code printed: {number}. Take the slip and your ID card.",
        Code.BUSINESS_FOUND: "One code for all permits: every permit of {number} is listed below; expired ones "
                             "are marked.",
    },
}


def lookup_text(code: Code, language: str = "zh", **values: object) -> str:
    """The lookup page's words for `code` in `language` (zh or en), with {number} / {minutes} filled."""
    return _TEXTS.get(language, _TEXTS["zh"])[code].format(**values)


def minutes_left(seconds: int) -> int:
    """Seconds of a lock as whole minutes for the message (at least 1)."""
    return max(1, math.ceil(seconds / 60))

"""A year's holiday notice as an admin types it from the State Council's text, and back (pure; no I/O).

The admin copies the dates of 国务院办公厅关于YYYY年部分节假日安排的通知 into two boxes: the days off and the
weekend days worked (调休上班). Each box holds days and ranges, one per line or separated by commas or 、:

    2027-02-06 至 2027-02-14   春节
    2027-04-05
    2027-05-01~2027-05-05

Text after the dates on a line (the festival's name) is ignored. `parse_notice` refuses, with every problem
named in plain Chinese, what cannot be the notice of that year: a date of another year, a range backwards
or longer than a fortnight (a typo), a day in both boxes, a 调休上班 day that is not a Saturday or Sunday, a
fixed-date statutory holiday (元旦, 劳动节, 国庆) missing from the days off.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from hall.cases.workdays import FIXED_HOLIDAYS, Notice

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_ITEM = re.compile(rf"{_DATE}(?:\s*(?:~|～|至|到|—|–)\s*{_DATE})?")
#: The longest run of days off a notice gives (春节: 8-9 days); longer is taken for a typo.
LONGEST_RUN_DAYS = 15
_WEEKDAYS = "一二三四五六日"


class NoticeTextError(ValueError):
    """The text is not a notice of that year; `problems` says each thing to fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def _date(year: str, month: str, day: str, problems: list[str]) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        problems.append(f"{year}-{month}-{day} 不是有效日期")
        return None


def parse_days(text: str, year: int, box: str, problems: list[str]) -> frozenset[dt.date]:
    """The days named in one box; each problem is appended to `problems`, prefixed by the box's name."""
    days: set[dt.date] = set()
    for line in re.split(r"[\n,，、;；]+", text or ""):
        line = line.strip()
        if not line:
            continue
        match = _ITEM.search(line)
        if match is None:
            problems.append(f"{box}：看不懂「{line[:40]}」（日期请写成 {year}-02-06，"
                            f"区间写成 {year}-02-06 至 {year}-02-14）")
            continue
        first = _date(*match.group(1, 2, 3), problems)
        last = _date(*match.group(4, 5, 6), problems) if match.group(4) else first
        if first is None or last is None:
            continue
        if last < first:
            problems.append(f"{box}：{first} 至 {last} 起止颠倒")
            continue
        if (last - first).days + 1 > LONGEST_RUN_DAYS:
            problems.append(f"{box}：{first} 至 {last} 长达 {(last - first).days + 1} 天，请核对")
            continue
        for offset in range((last - first).days + 1):
            day = first + dt.timedelta(days=offset)
            if day.year != year:
                problems.append(f"{box}：{day} 不在 {year} 年")
                break
            days.add(day)
    return frozenset(days)


def parse_notice(year: int, holidays_text: str, makeup_text: str, source: str) -> Notice:
    """The notice, or NoticeTextError naming every problem."""
    problems: list[str] = []
    if not 2000 <= year <= 2100:
        raise NoticeTextError([f"年份 {year} 不对"])
    source = (source or "").strip()
    if not source:
        problems.append("请填写通知的文号（如 国办发明电〔2025〕7号），以便核对")
    holidays = parse_days(holidays_text, year, "放假日期", problems)
    makeup = parse_days(makeup_text, year, "调休上班日期", problems)
    if not holidays and not problems:
        problems.append("放假日期为空")
    for day in sorted(holidays & makeup):
        problems.append(f"{day} 既在放假日期又在调休上班日期")
    for day in sorted(makeup):
        if day.weekday() < 5:
            problems.append(f"调休上班日期 {day} 是星期{_WEEKDAYS[day.weekday()]}：调休上班日只会是周六或周日")
    missing = [dt.date(year, month, day) for month, day in FIXED_HOLIDAYS]
    missing = [day.isoformat() for day in missing if holidays and day not in holidays]
    if missing:
        problems.append(f"法定节日 {'、'.join(missing)} 不在放假日期中：国务院的通知总包含它们，请核对")
    if problems:
        raise NoticeTextError(problems)
    return Notice(year, holidays, makeup, source[:200])


def format_days(days: Iterable[dt.date]) -> str:
    """The days as the admin would type them: one line per run of consecutive days."""
    lines: list[str] = []
    ordered = sorted(days)
    start = 0
    for index in range(1, len(ordered) + 1):
        if index == len(ordered) or ordered[index] - ordered[index - 1] != dt.timedelta(days=1):
            first, last = ordered[start], ordered[index - 1]
            lines.append(first.isoformat() if first == last else f"{first.isoformat()} 至 {last.isoformat()}")
            start = index
    return "\n".join(lines)

"""The terminal's statistics for staff: the CSV a hall manager opens in Excel, the text `kiosk stats` prints,
and where an export goes (a USB stick if one is mounted, else `<data dir>/exports/`).

    report = terminal_statistics(store, until=kiosk.now(), days=30)     # kiosk.terminal_stats
    path = write_csv(report, export_path(data_dir, now), titles)         # UTF-8 with BOM, one header row
    print(format_text(report, titles))

The CSV has one line per day and item (only days and items with something in them), so a pivot table in
Excel gives any total; its header row is in Chinese, the staff's language. Pure functions apart from the
file written (atomically: a half-written export never looks finished).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from kiosk.datadir import DB_FILE_NAME
from kiosk.stats_cache import CACHE_FILE_NAME
from kiosk.terminal_stats import StatsReport, report_cells

#: The step names staff see (the funnel, the CSV); screens the session names in kiosk.session.state.
STEP_LABELS = {"card": "读卡", "card_swap": "换卡确认", "form": "填写信息", "prereview": "智能预审",
               "materials": "材料", "capture": "拍摄材料", "sign": "签名承诺", "result": "结果",
               "saving": "保存", "printing": "打印"}
#: Screens only some visits see: the funnel shows them only where visits were left.
OPTIONAL_STEPS = frozenset({"card_swap", "capture", "saving"})
CSV_COLUMNS = (("day", "日期"), ("service", "事项编码"), ("title", "事项名称"), ("applications", "办件数"),
               ("approved", "秒批"), ("accepted", "受理"), ("blocked", "未通过预审离开"), ("visits", "到访次数"),
               ("abandoned", "中途离开"), ("median_seconds", "办结用时中位数(秒)"), ("ratings", "评价数"),
               ("average_stars", "平均星级"))
EXPORT_DIR_NAME = "exports"
#: The migration that made the statistics' tables and indexes.
STATISTICS_SCHEMA = 9
#: Where removable media are mounted (the first writable directory under these is the USB stick).
USB_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))


class StatisticsUnavailable(Exception):
    """No database to count from, or one the store cannot open; the message says which."""


def open_statistics(data_dir: Path) -> tuple[Path, Path]:
    """(the database file, the statistics cache file) of a data dir, the database brought to the schema
    the statistics read (opened once through the store when it is older). A current database is not
    opened for writing (nor is the store package loaded): its statistics are read beside a running kiosk."""
    db = Path(data_dir) / DB_FILE_NAME
    if not db.is_file():
        raise StatisticsUnavailable(f"no kiosk database at {db}")
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            current = conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?",
                                   (STATISTICS_SCHEMA,)).fetchone() is not None
    except sqlite3.Error:
        current = False
    if not current:
        from kiosk.store import Store, StoreError

        try:
            Store.open(Path(data_dir), create=False).close()  # migrations (or the store's own error)
        except StoreError as exc:
            raise StatisticsUnavailable(str(exc)) from exc
    return db, Path(data_dir) / CACHE_FILE_NAME


def csv_text(report: StatsReport, titles: Mapping[str, str] | None = None) -> str:
    """The export's text (without the BOM): the header row, then one row per day and item."""
    titles = titles or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _key, label in CSV_COLUMNS])
    for cell in report_cells(report):
        row = dict(cell, title=titles.get(cell["service"], ""))
        if not row["service"]:
            row["title"] = "(未选事项)"
        writer.writerow(["" if row[key] is None else row[key] for key, _label in CSV_COLUMNS])
    return out.getvalue()


def write_csv(report: StatsReport, path: Path, titles: Mapping[str, str] | None = None) -> Path:
    """Write the export (UTF-8 with BOM, so Excel reads the Chinese right) atomically; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(csv_text(report, titles))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return path


def usb_export_dir(roots: Iterable[Path] | None = None) -> Path | None:
    """The first writable mounted stick under /media/USER/NAME, /run/media/USER/NAME or /mnt/NAME."""
    for root in USB_ROOTS if roots is None else roots:
        try:
            candidates = sorted(p for p in Path(root).glob("*") if p.is_dir())
            candidates += sorted(p for parent in candidates for p in parent.glob("*") if p.is_dir())
        except OSError:
            continue
        for candidate in candidates:
            if os.path.ismount(candidate) and os.access(candidate, os.W_OK):
                return candidate
    return None


def export_path(data_dir: Path, now: dt.datetime, *, usb_roots: Iterable[Path] | None = None) -> Path:
    """Where the panel's export button writes: the USB stick if one is mounted, else the data dir's
    exports folder; the name carries the kiosk clock's time."""
    folder = usb_export_dir(usb_roots) or Path(data_dir) / EXPORT_DIR_NAME
    return folder / f"kiosk-stats-{now:%Y%m%d-%H%M%S}.csv"


def export_target(data_dir: Path, *, usb_roots: Iterable[Path] | None = None) -> str:
    """Where the panel's export will go, said on screen before the button is pressed."""
    stick = usb_export_dir(usb_roots)
    if stick is not None:
        return f"U盘 USB stick: {stick}"
    return f"未插入U盘，写入 No USB stick, to: {Path(data_dir) / EXPORT_DIR_NAME}"


def shown_funnel(report: StatsReport) -> list:
    """The funnel's rows worth showing: every visit reached or none, and the screens only some visits see
    (换卡确认, 拍摄材料, 保存) only when visits were left there."""
    return [row for row in report.funnel if row.reached and (row.step not in OPTIONAL_STEPS or row.abandoned)]


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes}分{seconds:02d}秒" if minutes else f"{seconds}秒"


def format_text(report: StatsReport, titles: Mapping[str, str] | None = None) -> str:
    """What `kiosk stats` prints: totals, per day, per item, the funnel, the findings, the grades."""
    titles = titles or {}
    t = report.totals
    lines = [f"本机统计 {report.since} 至 {report.until}",
             f"办件 {t.applications}（秒批 {t.approved} / 受理 {t.accepted}），未通过预审离开 {t.blocked}，"
             f"到访 {t.visits}，中途离开 {t.abandoned}，办结用时中位数 {_seconds(t.median_seconds)}", "",
             "日期        办件  秒批  受理  拦截  离开  用时中位数"]
    for row in report.days:
        if row.applications or row.visits:
            lines.append(f"{row.day}  {row.applications:>4}  {row.approved:>4}  {row.accepted:>4}  {row.blocked:>4}  "
                         f"{row.abandoned:>4}  {_seconds(row.median_seconds)}")
    lines += ["", "事项                              办件  秒批  受理  拦截  离开  用时中位数  评价"]
    for item in report.items:
        name = titles.get(item.service) or item.service or "(未选事项)"
        grade = f"{item.average_stars:.1f}星×{item.ratings}" if item.ratings else "-"
        lines.append(f"{name[:30]:<32}  {item.applications:>4}  {item.approved:>4}  {item.accepted:>4}  "
                     f"{item.blocked:>4}  {item.abandoned:>4}  {_seconds(item.median_seconds):>8}  {grade}")
    lines += ["", "流程漏斗（到达 / 在此离开）"]
    for step in shown_funnel(report):
        if step.reached:
            lines.append(f"  {STEP_LABELS.get(step.step, step.step):<8} {step.reached:>6} / {step.abandoned}")
    lines += ["", "预审最常见问题"]
    lines += [f"  {f.count:>5}  {f.rule}  {f.message}" for f in report.findings] or ["  (无)"]
    average = report.average_stars
    lines += ["", "好差评 " + "  ".join(f"{stars}星 {n}" for stars, n in sorted(report.grades.items()))
              + (f"  平均 {average:.2f}" if average is not None else "")]
    return "\n".join(lines)


def titles_of(catalog: Any) -> dict[str, str]:
    """Service id -> its short title (or title), from a catalog mapping (empty when there is none)."""
    out = {}
    for service_id, spec in dict(catalog or {}).items():
        out[service_id] = getattr(spec, "short_title", None) or getattr(spec, "title", "") or service_id
    return out


RETIRED_ITEM = "已停用事项"


def report_titles(report: StatsReport, catalog: Any, source: Any) -> dict[str, str]:
    """`titles_of(catalog)` plus a title for each item of the report the catalog no longer holds: the one
    its applications' hall events carried, marked 已停用事项, else 已停用事项 with its id (never a bare id)."""
    from kiosk.terminal_stats import stored_titles

    titles = titles_of(catalog)
    gone = [row.service for row in report.items if row.service and row.service not in titles]
    stored = stored_titles(source, gone, report.since) if gone else {}
    for service in gone:
        titles[service] = (f"{stored[service]}（{RETIRED_ITEM}）" if service in stored
                           else f"{RETIRED_ITEM}（{service}）")
    return titles


def page_model(report: StatsReport, titles: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What the panel's statistics page draws (plain lists and numbers; kiosk/ui/techstats.py)."""
    titles = titles or {}
    t = report.totals
    days = [{"day": row.day, "label": row.day[5:], "approved": row.approved, "accepted": row.accepted,
             "blocked": row.blocked, "abandoned": row.abandoned, "total": row.approved + row.accepted + row.blocked,
             "median": _seconds(row.median_seconds)} for row in report.days]
    items = [{"service": row.service, "title": titles.get(row.service) or row.service or "(未选事项)",
              "applications": row.applications, "approved": row.approved, "accepted": row.accepted,
              "blocked": row.blocked, "abandoned": row.abandoned, "total": row.applications + row.blocked,
              "median": _seconds(row.median_seconds),
              "grade": f"{row.average_stars:.1f}★ ×{row.ratings}" if row.ratings else "-"} for row in report.items]
    funnel = [{"step": row.step, "label": STEP_LABELS.get(row.step, row.step), "reached": row.reached,
               "abandoned": row.abandoned} for row in shown_funnel(report)]
    findings = [{"rule": f.rule, "message": f.message or f.rule, "severity": f.severity, "count": f.count}
                for f in report.findings]
    grades = [{"stars": stars, "count": n} for stars, n in sorted(report.grades.items(), reverse=True)]
    average = report.average_stars
    summary = (f"{report.since} 至 {report.until}：办件 {t.applications}（秒批 {t.approved} / 受理 {t.accepted}），"
               f"未通过预审离开 {t.blocked}，到访 {t.visits}，中途离开 {t.abandoned}，"
               f"办结用时中位数 {_seconds(t.median_seconds)}")
    return {"summary": summary, "days": days, "dayMax": max([d["total"] for d in days] + [1]),
            "items": items, "itemMax": max([i["total"] for i in items] + [1]), "funnel": funnel,
            "funnelMax": max([f["reached"] for f in funnel] + [1]), "findings": findings,
            "findingMax": max([f["count"] for f in findings] + [1]), "grades": grades,
            "gradeMax": max([g["count"] for g in grades] + [1]),
            "average": f"平均 {average:.2f} 星 · {sum(report.grades.values())} 条评价" if average is not None
                       else "暂无评价 No ratings"}

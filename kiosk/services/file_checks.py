"""`kiosk doctor`'s checks of the kiosk's files (issue 13), shared by the command (kiosk/commands/doctor.py)
and the technician panel's diagnostics page (kiosk.services.panel_doctor): the data dir is writable,
the database passes SQLite's quick_check and its audit chain is intact, no print job waits for an
operator, the documents of committed applications are there (repaired where they can be), the outbox to
the hall, the signing key's mode, the service catalog, the CJK fonts. Each returns a `Check` (OK, or the
problem and what to do). No device is opened here and Qt is never imported.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from pathlib import Path

from assets import cjk_font_path
from assets.fontchain import available_fonts, missing_fonts
from forms.loader import check_catalog
from kiosk.config import KioskConfig
from kiosk.credentials import KeyFileError, load_signing_key
from kiosk.credentials.keys import private_key_path
from kiosk.services.checks import Check
from kiosk.services.job_advice import advice, superseded
from kiosk.store import DB_FILE_NAME, Store, StoreError
from kiosk.store.store import LOOKUP_KEY_FILE_NAME
from printers.queue import PrintQueue, open_database

#: A real font file is megabytes; anything this small is a placeholder or a broken download.
MIN_FONT_BYTES = 1_000_000

def check_data_dir(data_dir: Path) -> Check:
    name = "data dir"
    if not data_dir.exists():
        parent = next((p for p in data_dir.parents if p.exists()), None)
        if parent is not None and os.access(parent, os.W_OK | os.X_OK):
            return Check(name, True, f"{data_dir} does not exist yet; it is created at the first start")
        return Check(name, False, f"{data_dir} does not exist and cannot be created",
                     "create it and give the kiosk user write access")
    if not data_dir.is_dir():
        return Check(name, False, f"{data_dir} is not a directory", "point data_dir (or --data-dir) at a folder")
    try:
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check(name, False, f"{data_dir} is not writable ({exc.strerror or exc})",
                     "give the kiosk user write access to it")
    return Check(name, True, f"{data_dir} is writable")


def check_database(data_dir: Path) -> list[Check]:
    path = data_dir / DB_FILE_NAME
    if not path.is_file():
        return [Check("database", True, f"{path} not created yet; it is made at the first start")]
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0) as conn:
            result = [row[0] for row in conn.execute("PRAGMA quick_check")]
        conn.close()
    except sqlite3.Error as exc:
        return [Check("database", False, f"{path} cannot be read: {exc}",
                      "restore it from the last backup; keep the broken file for the technician")]
    if result != ["ok"]:
        return [Check("database", False, f"{path} is damaged: {'; '.join(result[:3])}",
                      "stop the kiosk, restore the last backup, keep the damaged file for the technician")]
    checks = [Check("database", True, f"{path} passes SQLite quick_check")]
    try:
        with Store.open(data_dir, create=False) as store:
            report = store.verify_audit()
    except StoreError as exc:
        return [*checks, Check("audit chain", False, str(exc), "restore the database from the last backup")]
    if report.ok:
        checks.append(Check("audit chain", True, f"{report.rows_checked} rows, none changed or removed"))
    else:
        checks.append(Check("audit chain", False, report.describe(),
                            "someone changed the database: keep a copy and report it (`kiosk audit show`)"))
    checks.append(check_print_queue(path))
    checks.append(check_documents(data_dir))
    return checks


def check_documents(data_dir: Path) -> Check:
    """Repair the documents of committed applications (kiosk.recovery) and say what was found and done."""
    from kiosk.app import DOCUMENTS_DIR, PRINTED_DIR, documents_folder
    from kiosk.recovery import DataLayout, repair

    layout = DataLayout(data_dir / DOCUMENTS_DIR, data_dir / PRINTED_DIR,
                        lambda number: documents_folder(data_dir, number))
    try:
        with Store.open(data_dir, create=False) as store:
            report = repair(store, layout)
    except (StoreError, OSError) as exc:
        return Check("documents", False, f"cannot check them: {exc}", "run `kiosk doctor` again; keep the data dir")
    if report.failed:
        listed = "; ".join(report.failed[:3])
        return Check("documents", False, f"{report.summary()}; could not make: {listed}",
                     "free disk space or fix the folder's permissions, then run `kiosk doctor` again")
    return Check("documents", True, ("fixed: " if report.changed else "") + report.summary())


def check_print_queue(db_path: Path) -> Check:
    db = open_database(db_path)
    try:
        jobs = PrintQueue(db).jobs()
    finally:
        db.close()
    copies = superseded(jobs)
    waiting = [job for job in jobs if advice(job, copies) and job.state != "printing"]
    if not waiting:
        return Check("print queue", True, f"{len(jobs)} jobs, none waiting for an operator")
    listed = ", ".join(f"{job.id} {job.state}" for job in waiting[:5])
    return Check("print queue", False, f"{len(waiting)} jobs need an operator ({listed})",
                 "see `kiosk jobs`: retry, reprint or confirm them")


#: Unsent events older than this are a problem for staff (the hall should have had them long ago).
SYNC_LAG_PROBLEM_S = 3600.0


def check_hall_sync(data_dir: Path, config: KioskConfig) -> Check:
    """The outbox to the hall (kiosk.sync), from the database only (the hall is not contacted)."""
    from kiosk.app import env_calendar
    from kiosk.sync import outbox, replies
    from kiosk.sync.uploader import format_age

    if not (data_dir / DB_FILE_NAME).is_file():
        return Check("hall sync", True, "no database yet")
    try:
        with Store.open(data_dir, create=False) as store:
            backlog, dead = outbox.backlog(store), outbox.dead_events(store)
            state = replies.sync_state(store)
    except StoreError as exc:
        return Check("hall sync", False, f"cannot read the outbox: {exc}", "see the database line above")
    age = backlog.oldest_age_s(env_calendar()[1]())
    waiting = f"{backlog.unsent} events waiting" + (f", the oldest {format_age(age)} old" if backlog.unsent else "")
    if dead:
        listed = "; ".join(f"{row['kind']} {row['event_id'][:8]}: {row['last_error']}" for row in dead[:3])
        return Check("hall sync", False, f"{len(dead)} events rejected by the hall ({listed}); {waiting}",
                     "they are kept on this kiosk: report them to the hall's administrator")
    if not config.sync.configured:
        return Check("hall sync", True, f"[sync] not configured: the kiosk works alone; {waiting}")
    if backlog.unsent and age is not None and age > SYNC_LAG_PROBLEM_S:
        return Check("hall sync", False, f"{waiting}; last error: {state.last_error or '-'}",
                     "check the network and [sync] url/token, then run `kiosk sync`")
    return Check("hall sync", True, f"{waiting}; last exchange {state.last_ok_at or 'never'}")


def check_key_files(data_dir: Path) -> Check:
    name = "keys"
    signing = private_key_path(data_dir)
    if not signing.exists():
        return Check(name, True, f"no signing key yet; {signing} is created (mode 0600) at the first start")
    loose = [path for path in (signing, data_dir / LOOKUP_KEY_FILE_NAME)
             if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077]
    if loose:
        modes = ", ".join(f"{p} is {stat.S_IMODE(p.stat().st_mode):04o}" for p in loose)
        return Check(name, False, f"private key readable by others: {modes}",
                     "chmod 600 " + " ".join(str(p) for p in loose))
    try:
        load_signing_key(data_dir)
    except KeyFileError as exc:
        return Check(name, False, str(exc), "restore the key from backup (QR codes signed before need it)")
    return Check(name, True, f"{signing} is mode 0600 and loads")


def check_catalog_files() -> Check:
    problems = check_catalog()
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return Check("catalog", False, "; ".join(problems[:3]) + more, "fix the service YAML files named")
    return Check("catalog", True, "every service spec loads and passes its checks")


def check_font(path: Path | None = None, hanazono_dirs: list[Path] | None = None) -> Check:
    """The shipped CJK font, then the rare-character fonts behind it (assets/fontchain.py)."""
    body = _check_body_font(path)
    if not body.ok:
        return body
    missing = missing_fonts(search_dirs=hanazono_dirs)
    if missing:
        return Check("font", False, "; ".join(missing), "apt-get install fonts-hanazono, or rebuild the bundle")
    chain = ", ".join(str(loaded.path) for loaded in available_fonts(search_dirs=hanazono_dirs)[1:])
    return Check("font", True, f"{body.detail}; rare characters: {chain}")


def _check_body_font(path: Path | None = None) -> Check:
    path = path or cjk_font_path()
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
        size = path.stat().st_size
    except OSError as exc:
        return Check("font", False, f"{path}: {exc.strerror or exc}", "reinstall the kiosk (assets/fonts)")
    if magic not in (b"ttcf", b"\x00\x01\x00\x00") or size < MIN_FONT_BYTES:
        return Check("font", False, f"{path} is not a usable TrueType font ({size} bytes)",
                     "reinstall the kiosk (assets/fonts)")
    return Check("font", True, f"{path} ({size // 1_000_000} MB)")



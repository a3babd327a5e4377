"""`kiosk documents NUMBER [--out DIR]`: make the PDFs of a stored application again.

NUMBER is its receipt number (受理编号) or its licence / filing number. The PDFs are rendered from the
snapshot stored with the decision, so their text is the originals'; they are written to DIR (default:
the application's folder in the data dir) and registered to the application, so `kiosk purge`
removes them with the rest of its personal data (files outside the data dir are reported instead).
Exit 0 when written; 2 with one line on bad input (no such application, bad configuration, an --out
that cannot be written); 1 when the application has no documents to make (purged, or recorded before
snapshots were kept) or writing failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, config_from_args, resolve_data_dir


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("documents", parents=[common], help="write a stored application's PDFs again",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("number", metavar="NUMBER", help="receipt number, or licence / filing number")
    parser.add_argument("--out", type=Path, metavar="DIR", help="write them here (default: the data dir's folder)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from forms.documents.errors import DocumentError
    from forms.documents.snapshot import context_from_json
    from kiosk.app import documents_folder
    from kiosk.material_pages import with_material_pages
    from kiosk.paperfiles import render, write_registered
    from kiosk.store import Store, StoreError
    from kiosk.store.paperwork import paperwork_for

    try:
        config = config_from_args(args)
        data_dir = resolve_data_dir(args, config)
        store = Store.open(data_dir, create=False)
    except (ConfigError, StoreError) as exc:
        return _fail(2, str(exc))
    with store:
        record = store.find_application(args.number)
        if record is None:
            return _fail(2, f"no application with receipt or licence number {args.number!r}")
        number = record.licence_no or record.receipt_no or args.number
        if record.purged_at:
            return _fail(1, f"application {number} was purged on {record.purged_at[:10]} (retention): "
                            "its personal data and documents are gone")
        stored = paperwork_for(store, record.id)
        if stored is None or not stored.context:
            return _fail(1, f"application {number} was recorded before document snapshots were kept: "
                            "its PDFs cannot be made again")
        folder = args.out or documents_folder(data_dir, number)
        try:
            files = with_material_pages(store, record.id, render(stored.kinds, context_from_json(stored.context)))
            paths = write_registered(store, record.id, folder, files)
        except (DocumentError, StoreError) as exc:
            return _fail(1, f"application {number}: {exc}")
        except OSError as exc:
            return _fail(2, f"--out {folder}: {exc}")
    print(f"{number}: {len(paths)} document(s) written")
    for path in paths:
        print(f"  {path}")
    return 0


def _fail(code: int, message: str) -> int:
    print(f"kiosk documents: {message}", file=sys.stderr)
    return code

"""A separate program for the document crash tests: applies, then stops at one stage to be killed.

    python crash_apply.py DATA_DIR ANSWERS STAGE COUNT

Applies COUNT health permits for the adult demo card through `HeadlessApplicant` (the `kiosk apply`
path) with the sim:// printer. In the last one, the first time the composition root's `on_stage` hook
reports STAGE ("committed", "registered", "temporary", "captured"), it prints `STOPPED STAGE PATH` and
blocks reading stdin until the test kills it with SIGKILL. The earlier ones complete normally.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from idreader import demo_cards
from kiosk.app import Kiosk
from kiosk.config import config_from_args
from kiosk.headless import HeadlessApplicant

SERVICE = "public-place-health-permit"


def main(data_dir: str, answers_file: str, stage: str, count: int) -> None:
    committed = 0

    def on_stage(name: str, path: Path) -> None:
        nonlocal committed
        if name == "committed":
            committed += 1
        if name == stage and committed == count:
            print(f"STOPPED {name} {path}", flush=True)
            sys.stdin.read()  # until SIGKILL

    config = config_from_args(argparse.Namespace(data_dir=Path(data_dir)))
    answers = json.loads(Path(answers_file).read_text(encoding="utf-8"))
    kiosk = Kiosk.build(config, on_stage=on_stage)
    kiosk.recovered()  # the start-up repair is done before this process commits anything
    for _ in range(count):
        result = HeadlessApplicant(kiosk, print_wait=600).apply(SERVICE, demo_cards.load("adult"), answers)
        print(f"DONE {result.receipt_no}", flush=True)
    print("NOT STOPPED", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))

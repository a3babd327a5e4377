"""Staff at the real hall, as a separate process over the hall's own database (hall.cases.services, the
functions the console calls): `python hall_staff.py DATA_DIR ACTION [ARGS...]`, prints one JSON object.

    correct NUMBER        the reviewer claims the case and sends one 补正 notice
    accept NUMBER         the reviewer registers the correction and accepts (受理)
    approve NUMBER        the approver claims and approves (准予许可)
    deliver NUMBER EMS    the approver marks it mailed (已出件)
    ack CALL_ID           the reviewer acknowledges a staff call
    count NUMBER          events stored for kiosk K01 by kind, and cases with this number
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hall import cli

ITEMS = ["经营场所使用证明（租赁合同复印件）", "经营者近期免冠照片"]


def main(data_dir: Path, action: str, *args: str) -> dict:
    with cli._database(data_dir, None) as url:
        cli._setup_django(data_dir, url)
        from django.contrib.auth import get_user_model

        from hall.cases import services
        from hall.cases.models import Case, Event

        users = get_user_model()
        reviewer, approver = users.objects.get(username="wangfang"), users.objects.get(username="liqiang")
        if action == "correct":
            services.claim(args[0], reviewer)
            case = services.request_correction(args[0], reviewer, ITEMS, "请在期限内到 3 号窗口补正。")
        elif action == "accept":
            services.receive_correction(args[0], reviewer)
            case = services.accept(args[0], reviewer)
        elif action == "approve":
            services.claim(args[0], approver)
            case = services.approve(args[0], approver, "材料齐全，符合条件")
        elif action == "deliver":
            case = services.deliver(args[0], approver, "mail", ems=args[1])
        elif action == "ack":
            call = services.ack_call(args[0], reviewer)
            return {"call_id": str(call.call_id), "acked_by": call.acked_by.username}
        elif action == "count":
            kinds: dict[str, int] = {}
            for kind in Event.objects.filter(kiosk__kiosk_id="K01").values_list("kind", flat=True):
                kinds[kind] = kinds.get(kind, 0) + 1
            return {"events": kinds, "cases": Case.objects.filter(number=args[0]).count()}
        else:
            raise SystemExit(f"unknown action {action}")
        return {"number": case.number, "state": case.state}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2], *sys.argv[3:]), ensure_ascii=False))

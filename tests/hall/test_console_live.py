"""Staff calls (the JSON the live page polls, the acknowledgement reaching the kiosk's next heartbeat
reply), the fleet's red lines and the statistics with their CSV and 差评 handling."""

from __future__ import annotations

import csv
import io
import uuid

from django.test import Client

from hall.cases.models import Rating
from hall.console import sample


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def beat(kiosk_id: str, cursor: int = 0) -> dict:
    return {"kiosk_id": kiosk_id, "at": "2026-11-21T10:00:05+08:00", "cursor": cursor, "version": "0.1.0",
            "modules": {"reader": "ok", "printer": "ok", "paper": "ok", "camera": "ok"},
            "oldest_unsent_s": None, "unsent": 0, "counts": {"applications": 0, "approved": 0, "accepted": 0}}


def test_a_call_shows_where_and_on_which_step_and_its_ack_reaches_the_kiosk(staff, enrolled, post):
    kiosk_id, token = enrolled(location="一楼大厅")
    call = sample.staff_call(location="一楼大厅 3 号机", screen="materials")
    sample.store(kiosk_id, [call])
    call_id = call["body"]["call_id"]
    reviewer = staff("reviewer")
    reviewer.first_name = "李受理"
    reviewer.save()
    client = as_user(reviewer)
    listed = client.get("/calls.json").json()
    mine = next(c for c in listed["calls"] if c["call_id"] == call_id)
    assert mine["kiosk_id"] == kiosk_id and mine["location"] == "一楼大厅 3 号机"
    assert mine["step"] == "确认材料与承诺" and mine["acked_at"] is None and listed["open"] >= 1
    assert "一楼大厅 3 号机" in client.get("/calls/").content.decode()
    # Not yet acknowledged: the kiosk's heartbeat reply carries no ack for it.
    before = post(Client(), "/api/v1/heartbeat", beat(kiosk_id), token).json()
    assert call_id not in [a["call_id"] for a in before["call_acks"]]
    acked = client.post(mine["ack_url"], HTTP_ACCEPT="application/json")
    assert acked.status_code == 200 and acked.json()["acked_by"] == "李受理"
    after = post(Client(), "/api/v1/heartbeat", beat(kiosk_id, before["cursor"]), token).json()
    assert [a["by"] for a in after["call_acks"] if a["call_id"] == call_id] == ["李受理"]
    shown = next(c for c in client.get("/calls.json").json()["calls"] if c["call_id"] == call_id)
    assert shown["acked_by"] == "李受理"


def test_an_approver_may_acknowledge_but_a_get_may_not(staff, enrolled):
    kiosk_id, _ = enrolled()
    call = sample.staff_call()
    sample.store(kiosk_id, [call])
    client = as_user(staff("approver"))
    url = f"/calls/{call['body']['call_id']}/ack/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302


def test_a_silent_or_faulty_kiosk_is_red_with_the_reason(staff, enrolled):
    healthy, _ = enrolled()
    silent, _ = enrolled()
    faulty, _ = enrolled()
    sample.heartbeat(healthy, seen_ago_s=5)
    sample.heartbeat(silent, seen_ago_s=None)
    sample.heartbeat(faulty, seen_ago_s=5, printer="fault", paper="out", oldest_unsent_s=7200, unsent=12)
    sample.store(healthy, [sample.application(f"FL{uuid.uuid4().hex[:8]}", with_files=False)])
    page = as_user(staff("reviewer")).get("/fleet/").content.decode()

    def line(kiosk_id: str) -> str:
        start = page.index(f'data-kiosk="{kiosk_id}"')
        return page[page.rindex("<tr", 0, start): page.index("</tr>", start)]

    assert 'class="red"' not in line(healthy) and "正常" in line(healthy)
    assert 'class="red"' in line(silent) and "没有心跳" in line(silent)
    assert 'class="red"' in line(faulty) and "打印机故障" in line(faulty) and "纸张缺纸" in line(faulty)
    assert "2 小时 0 分" in line(faulty) and ">12<" in line(faulty)
    assert '<td class="num">1' in line(healthy)  # today's applications as the hall received them


def test_statistics_per_item_and_day_with_csv(staff, enrolled):
    kiosk_id, _ = enrolled()
    service = f"stat-{uuid.uuid4().hex[:6]}"
    title = "统计测试事项"
    sample.store(kiosk_id, [
        sample.application(f"ST{uuid.uuid4().hex[:8]}", service=service, service_title=title, with_files=False),
        sample.application(f"ST{uuid.uuid4().hex[:8]}", service=service, service_title=title, outcome="approved",
                           findings=[], with_files=False),
        sample.step_stats(service, seconds=(60.0, 120.0)),
        sample.step_stats(service, seconds=(60.0, 240.0)),
        sample.step_stats(service, finished=False, abandoned_at="materials"),
        sample.rating(5, service=service), sample.rating(1, "等太久", service=service),
    ])
    client = as_user(staff("reviewer"))
    query = {"from": "2026-11-21", "to": "2026-11-21", "service": service}
    page = client.get("/stats/", query).content.decode()
    assert "<svg" in page and "统计测试事项" in page and "确认材料与承诺" in page and "缺少经营场所平面图" in page
    exported = client.get("/stats.csv", query)
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["日期", "事项编码", "事项", "开始办理"]
    # started 3, finished 2, 秒批 1, 受理 1, blocked 0, abandoned 1, median of 3 and 5 minutes = 4.0
    assert rows[1:] == [["2026-11-21", service, "统计测试事项", "3", "2", "1", "1", "0", "1", "4.0"]]


def test_a_bad_rating_is_listed_until_marked_handled(staff, enrolled):
    kiosk_id, _ = enrolled()
    service = f"rate-{uuid.uuid4().hex[:6]}"
    sample.store(kiosk_id, [sample.rating(2, "打印机卡纸", service=service)])
    rating = Rating.objects.get(service=service)
    assert rating.handling == Rating.Handling.OPEN and rating.due is not None
    client = as_user(staff("reviewer"))
    # The day the sample rating was given (sample.AT), not the machine's: an answered rating is listed only
    # within the page's range, which by default ends on the hall's today (Asia/Shanghai: from 16:00 UTC on,
    # the day after the machine's UTC date).
    day = {"from": sample.AT[:10], "to": sample.AT[:10], "service": service}
    page = client.get("/stats/", day).content.decode()
    assert "打印机卡纸" in page and "待处理" in page and "标记已处理" in page
    empty = client.post(f"/ratings/{rating.pk}/answer/", {"answer": ""}, follow=True)
    assert "必须填写理由" in empty.content.decode()
    done = client.post(f"/ratings/{rating.pk}/answer/", {"answer": "已电话致歉并更换打印机", "back": "https://evil.example/"})
    assert done["Location"] == "/stats/"  # never sent off the hall
    rating.refresh_from_db()
    assert rating.handling == Rating.Handling.ANSWERED and rating.answer == "已电话致歉并更换打印机"
    page = client.get("/stats/", day).content.decode()
    assert "已回复" in page and "已电话致歉并更换打印机" in page

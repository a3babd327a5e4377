"""The queue and the case page through Django's test client: claiming (owner visible to all), reassigning,
补正 with checked findings and free text, the decisions by role, 已出件, the audited ID reveal, the
documents — and every illegal action refused on the server with a message, the case unchanged."""

from __future__ import annotations

import re
import uuid
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from hall.cases import services
from hall.cases.models import Case, State
from hall.console import sample


@pytest.fixture
def new_case(enrolled):
    """new_case(service=...) -> a 受理 case with a PDF and a material page, as a kiosk reported it."""

    def make(service: str = "food-licence", **kwargs) -> Case:
        kiosk_id, _ = enrolled()
        number = f"CS{uuid.uuid4().hex[:10]}"
        sample.store(kiosk_id, [sample.application(number, service=service, **kwargs)])
        return Case.objects.get(number=number)

    return make


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_claim_shows_the_owner_to_everyone(staff, new_case):
    case = new_case(service=f"svc-{uuid.uuid4().hex[:6]}")
    li, other = staff("reviewer"), staff("reviewer")
    li.first_name = "李受理"
    li.save()
    queue = as_user(other).get("/", {"service": case.service}).content.decode()
    assert case.number in queue and "未认领" in queue and "认领</button>" in queue
    back = f"/?service={case.service}"
    response = as_user(li).post(f"/case/{case.number}/act/claim/", {"next": back})
    assert response.status_code == 302 and response["Location"] == back  # the queue as it was filtered
    elsewhere = as_user(li).post(f"/case/{case.number}/act/release/", {"next": "//evil.example/"})
    assert elsewhere["Location"] == f"/case/{case.number}/"  # never off the hall
    as_user(li).post(f"/case/{case.number}/act/claim/")
    queue = as_user(other).get("/", {"service": case.service}).content.decode()
    assert "李受理" in queue and "认领</button>" not in queue
    # The other reviewer's claim is refused with who holds it.
    refused = as_user(other).post(f"/case/{case.number}/act/claim/", follow=True)
    assert any("已由 李受理 认领" in m for m in said(refused))
    case.refresh_from_db()
    assert case.claimed_by_id == li.pk


def test_the_queue_filters_by_item_and_state_and_shows_the_clock(staff, new_case):
    service = f"svc-{uuid.uuid4().hex[:6]}"
    waiting, paused = new_case(service=service), new_case(service=service)
    reviewer = staff("reviewer")
    services.request_correction(paused, reviewer, ["缺少经营场所平面图"])
    client = as_user(reviewer)
    page = client.get("/", {"service": service}).content.decode()
    assert waiting.number in page and paused.number in page
    assert "暂停（待补正）" in page and "个工作日" in page
    only_paused = client.get("/", {"service": service, "state": "correction_requested"}).content.decode()
    assert paused.number in only_paused and waiting.number not in only_paused
    other_item = client.get("/", {"service": "no-such-item"}).content.decode()
    assert waiting.number not in other_item
    mine = client.get("/", {"service": service, "mine": "1"}).content.decode()
    assert paused.number in mine and waiting.number not in mine


def test_a_correction_lists_the_checked_findings_and_the_free_text_once(staff, new_case):
    case = new_case()
    reviewer = staff("reviewer")
    client = as_user(reviewer)
    page = client.get(f"/case/{case.number}/").content.decode()
    assert 'value="缺少经营场所平面图"' in page and 'value="从业人员健康证明已过期"' in page
    client.post(f"/case/{case.number}/act/claim/")
    response = client.post(f"/case/{case.number}/act/correction/", {
        "finding": ["缺少经营场所平面图", "从业人员健康证明已过期"], "items": "营业执照复印件\n\n法人签字页",
        "text": "请一次带齐以上材料", "due": ""}, follow=True)
    assert any("补正通知已发出（共 4 项）" in m for m in said(response))
    case.refresh_from_db()
    assert case.state == State.CORRECTION_REQUESTED and case.paused_since is not None
    assert case.notice["items"] == ["缺少经营场所平面图", "从业人员健康证明已过期", "营业执照复印件", "法人签字页"]
    assert case.notice["text"] == "请一次带齐以上材料"
    page = response.content.decode()
    assert "营业执照复印件" in page and "发出补正通知" in page  # the notice and the history line
    # A second notice is refused (once, by law) once the materials came back.
    client.post(f"/case/{case.number}/act/receive/", {"note": "材料齐了"})
    again = client.post(f"/case/{case.number}/act/correction/", {"items": "还缺一样"}, follow=True)
    assert any("只能一次性告知补正" in m for m in said(again))
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.correction_count == 1


def test_an_empty_correction_is_refused(staff, new_case):
    case = new_case()
    client = as_user(staff("reviewer"))
    response = client.post(f"/case/{case.number}/act/correction/", {"items": "  \n"}, follow=True)
    assert any("至少一项" in m for m in said(response))
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_accept_then_decide_by_the_approver_then_deliver(staff, new_case):
    case = new_case()
    reviewer, approver = staff("reviewer"), staff("approver")
    # The approver may not 受理, and the reviewer may not decide: refused on the server.
    refused = as_user(approver).post(f"/case/{case.number}/act/accept/", follow=True)
    assert any("受理员" in m for m in said(refused))
    assert as_user(reviewer).post(f"/case/{case.number}/act/accept/").status_code == 302
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and case.claimed_by_id is None
    not_reviewer = as_user(reviewer).post(f"/case/{case.number}/act/approve/", follow=True)
    assert any("审批人" in m for m in said(not_reviewer))
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    no_reason = as_user(approver).post(f"/case/{case.number}/act/deny/", {"reason": " "}, follow=True)
    assert any("必须填写理由" in m for m in said(no_reason))
    as_user(approver).post(f"/case/{case.number}/act/approve/", {"licence_number": "JY2026-0001"})
    case.refresh_from_db()
    assert case.state == State.APPROVED and case.licence_number == "JY2026-0001"
    no_ems = as_user(reviewer).post(f"/case/{case.number}/act/deliver/", {"kind": "mail", "ems": ""}, follow=True)
    assert any("EMS" in m for m in said(no_ems))
    as_user(reviewer).post(f"/case/{case.number}/act/deliver/", {"kind": "mail", "ems": "EA123456789CN"})
    case.refresh_from_db()
    assert case.state == State.DELIVERED and case.pickup["ems"] == "EA123456789CN"
    history = as_user(reviewer).get(f"/case/{case.number}/").content.decode()
    for line in ("受理", "准予许可", "已出件", "EA123456789CN"):
        assert line in history


def test_an_illegal_transition_is_refused_with_the_state_named(staff, new_case):
    case = new_case()
    approver = staff("approver")
    response = as_user(approver).post(f"/case/{case.number}/act/approve/", follow=True)
    assert any("当前状态为「待受理」，不能准予许可" in m for m in said(response))
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_refusing_needs_a_reason_and_tells_the_applicant(staff, new_case):
    case = new_case()
    client = as_user(staff("reviewer"))
    empty = client.post(f"/case/{case.number}/act/refuse/", {"reason": ""}, follow=True)
    assert any("必须填写理由" in m for m in said(empty))
    client.post(f"/case/{case.number}/act/refuse/", {"reason": "不属于本机关职权范围"})
    case.refresh_from_db()
    assert case.state == State.REFUSED and case.notice == {"kind": "refused", "text": "不属于本机关职权范围"}


def test_reassigning_needs_a_reason_and_a_colleague_with_the_role(staff, new_case):
    case = new_case()
    owner, colleague, approver = staff("reviewer"), staff("reviewer"), staff("approver")
    client = as_user(owner)
    client.post(f"/case/{case.number}/act/claim/")
    page = client.get(f"/case/{case.number}/").content.decode()
    assert f'value="{colleague.pk}"' in page and f'value="{approver.pk}"' not in page
    no_reason = client.post(f"/case/{case.number}/act/reassign/", {"to": colleague.pk, "reason": ""}, follow=True)
    assert any("改派必须填写理由" in m for m in said(no_reason))
    wrong_role = client.post(f"/case/{case.number}/act/reassign/", {"to": approver.pk, "reason": "休假"}, follow=True)
    assert any("没有受理员角色" in m for m in said(wrong_role))
    client.post(f"/case/{case.number}/act/reassign/", {"to": colleague.pk, "reason": "休假"})
    case.refresh_from_db()
    assert case.claimed_by_id == colleague.pk
    assert case.history.filter(action="reassign", note="休假").exists()
    # A bystander may not reassign what is not theirs.
    bystander = as_user(staff("reviewer"))
    taken = bystander.post(f"/case/{case.number}/act/reassign/", {"to": owner.pk, "reason": "抢"}, follow=True)
    assert any("管理员" in m for m in said(taken))
    case.refresh_from_db()
    assert case.claimed_by_id == colleague.pk


def test_the_id_number_is_masked_and_revealing_it_is_recorded(staff, new_case):
    case = new_case(id_number="110101199001011234")
    reviewer = staff("reviewer")
    client = as_user(reviewer)
    page = client.get(f"/case/{case.number}/").content.decode()
    assert "110101199001011234" not in page and "110***********1234" in page
    revealed = client.post(f"/case/{case.number}/reveal/", {"reason": "核对身份"})
    assert revealed.status_code == 200 and "110101199001011234" in revealed.content.decode()
    assert revealed["Cache-Control"] == "no-store"
    line = case.history.get(action="reveal_id_number")
    assert line.by_id == reviewer.pk and line.note == "核对身份"
    again = client.get(f"/case/{case.number}/").content.decode()
    assert "110101199001011234" not in again and "查看完整身份证号" in again


def test_id_numbers_in_the_answers_are_masked_too(staff, new_case):
    case = new_case(answers={"legal_rep_id": "11010119800202345X", "phone": "13800000000",
                             "note": "旧证 110101800202345"})
    page = as_user(staff("reviewer")).get(f"/case/{case.number}/").content.decode()
    assert "11010119800202345X" not in page and "110***********345X" in page
    assert "110101800202345" not in page and "110********2345" in page
    assert "13800000000" in page  # a phone number is not an ID number


def test_the_answers_are_named_by_the_items_own_labels(staff, new_case):
    case = new_case(service="public-place-health-permit", answers={"hygiene_manager": "张伟", "x_unknown": "1"})
    page = as_user(staff("reviewer")).get(f"/case/{case.number}/").content.decode()
    assert '<th title="hygiene_manager">卫生管理员</th>' in page
    assert '<th title="x_unknown">x_unknown</th>' in page  # a field the catalog does not know keeps its key


def test_the_pdf_opens_inline_or_downloads_and_the_material_page_is_a_png(staff, new_case):
    case = new_case()
    client = as_user(staff("approver"))
    doc = case.documents.get()
    inline = client.get(f"/case/{case.number}/document/{doc.pk}/")
    body = b"".join(inline.streaming_content)
    assert inline["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    assert inline["Content-Disposition"].startswith("inline")
    download = client.get(f"/case/{case.number}/document/{doc.pk}/", {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")
    page = case.material_pages.get()
    png = client.get(f"/case/{case.number}/page/{page.pk}/")
    assert png["Content-Type"] == "image/png" and b"".join(png.streaming_content).startswith(b"\x89PNG")
    # A document is reached only through its own case.
    other = new_case()
    assert client.get(f"/case/{other.number}/document/{doc.pk}/").status_code == 404


def test_opening_a_pdf_or_a_material_page_is_on_the_cases_history_once_a_day(staff, new_case):
    """The PDF holds the applicant's full ID number: who opened it is recorded, as for a reveal."""
    case = new_case()
    li, wang = staff("reviewer"), staff("approver")
    doc, page = case.documents.get(), case.material_pages.get()
    assert case.history.filter(action="open_file").count() == 0
    for client in (as_user(li), as_user(li), as_user(wang)):
        response = client.get(f"/case/{case.number}/document/{doc.pk}/")
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    as_user(li).get(f"/case/{case.number}/page/{page.pk}/")
    opened = list(case.history.filter(action="open_file").order_by("id").values_list("by", "data"))
    pdf = doc.name if doc.name.lower().endswith(".pdf") else f"{doc.name}.pdf"
    assert opened == [(li.pk, {"file": pdf}), (wang.pk, {"file": pdf}),
                      (li.pk, {"file": f"{page.material} #{page.pk}"})]
    history = as_user(wang).get(f"/case/{case.number}/").content.decode()
    assert "查看文书或材料" in history and f"文件：{pdf}" in history
    # A file of another case is not reached, and nothing is recorded for it.
    other = new_case()
    assert as_user(li).get(f"/case/{other.number}/document/{doc.pk}/").status_code == 404
    assert other.history.filter(action="open_file").count() == 0


def test_pages_follow_on_from_the_last_row_shown(staff, enrolled):
    kiosk_id, _ = enrolled()
    service = f"page-{uuid.uuid4().hex[:6]}"
    numbers = {f"PG{i:03d}{uuid.uuid4().hex[:6]}" for i in range(57)}
    sample.store(kiosk_id, [sample.application(n, service=service, with_files=False) for n in sorted(numbers)])
    client = as_user(staff("reviewer"))

    def page(response) -> tuple[list[str], str]:
        html = response.content.decode()
        found = re.search(r'id="next-page" href="([^"]+)"', html)
        return re.findall(r'data-number="([^"]+)"', html), unescape(found.group(1)) if found else ""

    first = client.get("/", {"service": service})
    shown, next_url = page(first)
    assert len(shown) == 50 and next_url and "共 57 件" in first.content.decode()
    second = client.get("/" + next_url)
    rest, more = page(second)
    assert len(rest) == 7 and not more and "第 2 页" in second.content.decode()
    assert set(shown) | set(rest) == numbers


@pytest.mark.parametrize("state", ["open", "all"])
def test_previous_page_goes_back_over_the_same_rows(staff, enrolled, state):
    """上一页 reads backwards from the first row shown (keyset, both orders): the rows are the ones the page
    showed on the way forward, and from page 2 it is the first page."""
    kiosk_id, _ = enrolled()
    service = f"prev-{uuid.uuid4().hex[:6]}"
    numbers = {f"PV{i:03d}{uuid.uuid4().hex[:6]}" for i in range(111)}
    sample.store(kiosk_id, [sample.application(n, service=service, with_files=False) for n in sorted(numbers)])
    client = as_user(staff("reviewer"))

    def page(url: str) -> tuple[list[str], str, str, str]:
        html = client.get(url).content.decode()
        links = {name: unescape(m.group(1)) if (m := re.search(rf'id="{name}-page" href="([^"]+)"', html)) else ""
                 for name in ("next", "prev")}
        number = re.search(r"第 (\d+) 页", html).group(1)
        return re.findall(r'data-number="([^"]+)"', html), links["next"], links["prev"], number

    first, next1, prev1, n1 = page(f"/?service={service}&state={state}")
    assert len(first) == 50 and next1 and not prev1 and n1 == "1"
    second, next2, prev2, n2 = page("/" + next1)
    third, next3, prev3, n3 = page("/" + next2)
    assert (len(second), len(third), n2, n3) == (50, 11, "2", "3") and not next3
    assert set(first) | set(second) | set(third) == numbers
    assert "before=" not in prev2 and page("/" + prev2)[0] == first  # page 2's 上一页 is the first page
    back2, forward2, back_prev, nb = page("/" + prev3)
    assert back2 == second and nb == "2" and back_prev and forward2
    assert page("/" + forward2)[0] == third  # and forward again from the page reached backwards
    back1, _, no_prev, nf = page("/" + back_prev)
    assert back1 == first and not no_prev and nf == "1"

"""JSON over HTTP to the hall (urllib: no dependency), and the faults in plain words.

    reply = post_json(url + "/api/v1/events", token, payload, timeout=10)

`HallError.kind` says what the uploader does next: "unreachable" (network, timeout, 5xx: back off and
retry), "refused" (401 bad or revoked credential, 403 another kiosk's id: keep every event, report it,
retry slowly: staff must enrol the kiosk again), "too_large" (413: halve the batch), "protocol" (a reply
that is not the contract's JSON: back off).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import urllib.error

USER_AGENT = "miaoban-kiosk-sync/1"


class HallError(Exception):
    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


def post_json(url: str, token: str, payload: dict[str, Any], *, timeout: float) -> dict[str, Any]:
    import urllib.error  # here: urllib.request loads http.client, email and ssl (≈ 40 ms), and only the
    import urllib.request  # uploader's thread posts; a kiosk command that never syncs never pays it

    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {token}",
        "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        error = _refusal(exc)
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        error = HallError("unreachable", f"连不上大厅系统 {url}：{getattr(exc, 'reason', exc)}")
    else:
        error = None
    if error is not None:  # raised outside the handler: no chained error holding this frame and its batch
        raise error
    try:
        reply = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        error = HallError("protocol", f"大厅系统的答复不是 JSON（{url}）")
    else:
        error = None if isinstance(reply, dict) else HallError("protocol", f"大厅系统的答复不是 JSON 对象（{url}）")
    if error is not None:
        raise error
    return reply


def _refusal(exc: urllib.error.HTTPError) -> HallError:
    """What an HTTP error status means for the uploader, in plain words."""
    status = exc.code
    detail = _detail(exc)
    if status == 401:
        return HallError("refused", f"大厅系统拒绝了本机的凭据（401{detail}）：本机可能已被注销或凭据有误，"
                         "请管理员重新登记本机（python -m hall enrol）并更新 [sync] token", status)
    if status == 403:
        return HallError("refused", f"大厅系统拒绝了本机（403{detail}）：凭据属于另一台终端，"
                         "请核对 [hall] kiosk_id 与 [sync] token", status)
    if status == 413:
        return HallError("too_large", f"一批数据超过大厅系统的上限（413{detail}）", status)
    return HallError("unreachable", f"大厅系统出错（HTTP {status}{detail}）", status)


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(300).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return f"：{text[:200]}" if text else ""

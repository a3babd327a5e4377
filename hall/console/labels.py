"""Chinese names the console shows for the kiosk's screens, the history's actions and module states."""

from __future__ import annotations

#: The kiosk screen an applicant was on (staff_call.screen, step_stats step) -> what staff read.
#: The names are kiosk.session.state.Step's values (plus the start page's own pages and the newer steps).
STEPS = {
    "start": "首页（选择事项）", "home": "首页", "catalog": "选择事项", "intro": "事项说明", "lookup": "扫码查询",
    "card": "身份核验（读身份证）", "card_swap": "更换身份证确认", "form": "填写申请表", "prereview": "智能预审",
    "materials": "确认材料与承诺", "capture": "拍摄材料", "sign": "签名确认", "result": "办理结果",
    "saving": "保存办件", "printing": "打印文书", "print_failed": "打印失败", "rating": "评价", "thanks": "办结致谢",
    "idle": "待机",
}

#: CaseHistory.action -> what it was.
ACTIONS = {
    "submitted": "终端提交", "received": "终端提交", "ingest": "终端提交", "claim": "认领", "release": "退回队列",
    "reassign": "改派", "request_correction": "发出补正通知", "receive_correction": "补正材料已收到",
    "accept": "受理", "refuse": "不予受理", "approve": "准予许可", "deny": "不予许可", "deliver": "已出件",
    "reveal_id_number": "查看完整身份证号", "open_file": "查看文书或材料（含完整身份证号）",
    "calendar": "节假日安排变更，期限重算",
}

MODULES = {"ok": "正常", "fault": "故障", "absent": "未配置", "low": "纸少", "out": "缺纸", "unknown": "未知"}

SEVERITY = {"error": "错误", "block": "不符合", "warning": "提醒", "warn": "提醒", "info": "提示"}


def step(name: str | None) -> str:
    """A screen's Chinese name (unknown names shown as they came)."""
    return STEPS.get(name or "", name or "未知")

#: CaseHistory.data keys -> what staff read (keys not listed are not shown: event ids and the like).
DATA_KEYS = {
    "items": "补正项目", "due": "补齐期限", "decision_due": "新的决定期限", "paused_working_days": "暂停工作日",
    "from": "原办理人", "to": "改派给", "licence_number": "证照编号", "window": "领取窗口", "ems": "EMS 单号",
    "kiosk_at": "终端时间", "correction_due": "新的补正期限", "before": "原期限",
    "field": "查看的填报项", "file": "文件",
}
PICKUP = {"window": "窗口领取", "mail": "邮寄"}


def history_data(data: dict | None) -> str:
    """A history line's data as 「名称：值」 pairs for the known keys (lists joined with 、)."""
    if not isinstance(data, dict):
        return ""
    parts = []
    if data.get("kind") in PICKUP:
        parts.append(f"出件方式：{PICKUP[data['kind']]}")
    for key, name in DATA_KEYS.items():
        value = data.get(key)
        if value in (None, "", []):
            continue
        shown = "、".join(str(v) for v in value) if isinstance(value, list) else str(value)
        parts.append(f"{name}：{shown}")
    return "；".join(parts)

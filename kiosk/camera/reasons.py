"""Why no page was found: a stable code and what the applicant is told (plain Chinese, with English).

The codes are stable (tests, the CLI's message, the UI's strings); the Chinese says what happened and
what to do. kiosk.ui.strings holds the on-screen words under `capture_<code>`; these texts are for the
command line and logs.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "no_page": "没有找到材料的四条边：请把材料平放在拍摄区中央，四条边都露出来，下面垫深色的台面",
    "page_too_small": "材料在画面里太小：请把材料放到拍摄区中央，靠近镜头一些",
    "page_cut_off": "材料的边超出了画面：请把整张材料放进拍摄区，四条边都露出来",
    "too_dark": "画面太暗，看不清材料：请打开拍摄仪的补光灯，或请工作人员检查拍摄仪",
    "blank_frame": "拍摄仪没有画面：请工作人员检查拍摄仪是否连接好",
}


def reason_text(code: str) -> str:
    """The Chinese reason for `code` (the code itself for an unknown one)."""
    return REASONS.get(code, code)

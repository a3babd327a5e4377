"""The screens' derived view for issue 14 (pure): the item's own document name on numbers, where the
original is collected (the hall's 发证窗口) or mailed, and what the materials screen still misses."""

from __future__ import annotations

import dataclasses
import datetime as dt

from forms.loader import load_catalog
from kiosk.session import Delivery, SavedApplication, SessionState, Step
from kiosk.ui.views.screen import screen_view

TODAY = dt.date(2026, 11, 21)
CATALOG = load_catalog()


def state(**values) -> SessionState:
    return dataclasses.replace(SessionState.initial(0.0), **values)


def test_a_food_filing_is_not_called_a_licence():
    saved = SavedApplication("1", "500151-20261121-K01-0001", "铜食备〔2026〕1号")
    view = screen_view(state(step=Step.RESULT, service_id="food-prepackaged-filing", outcome="approved",
                             saved=saved), CATALOG["food-prepackaged-filing"], TODAY, "2")
    assert view["number_label"] == "仅销售预包装食品备案回执编号" and "许可证" not in view["number_label"]
    assert "2号发证窗口" in view["pickup_line"] and "备案回执" in view["pickup_line"]


def test_pickup_and_mail_lines_for_an_accepted_application():
    spec = CATALOG["public-place-health-permit"]
    base = {"step": Step.RESULT, "service_id": spec.id, "outcome": "accepted"}
    assert screen_view(state(**base), spec, TODAY, "5")["pickup_line"] == "", "nothing said before choosing"
    assert screen_view(state(**base, delivery=Delivery("pickup")), spec, TODAY, "5")["pickup_line"] == \
        "审核通过后，请到5号发证窗口领取原件"
    mailed = screen_view(state(**base, delivery=Delivery("mail", "龙城大道1号")), spec, TODAY, "5")
    assert mailed["pickup_line"] == "办结后邮寄到：龙城大道1号" and not mailed["delivery_in_form"]
    assert screen_view(state(**base), CATALOG["residence-permit"], TODAY)["delivery_in_form"]


def test_the_materials_screen_names_what_is_missing_in_order():
    spec = CATALOG["public-place-health-permit"]
    base = {"step": Step.MATERIALS, "service_id": spec.id, "materials": ("平面图及卫生设施布局图",)}
    assert screen_view(state(**base), spec, TODAY)["missing"] == ["确认材料", "承诺书签名或同意"]
    assert screen_view(state(**base, materials_confirmed=True), spec, TODAY)["missing"] == ["承诺书签名或同意"]


def test_after_saving_the_approved_line_says_where_the_original_is_not_what_will_print():
    spec = CATALOG["public-place-health-permit"]
    saved = SavedApplication("1", "500151-20261121-K01-0001", "铜卫公证字〔2026〕第000001号")
    view = screen_view(state(step=Step.RATING, service_id=spec.id, outcome="approved", saved=saved), spec, TODAY)
    assert view["pickup_line"] == "如需公共场所卫生许可证纸质原件，请凭凭条到1号发证窗口领取"


def test_the_result_line_names_the_items_own_document():
    spec = CATALOG["food-prepackaged-filing"]
    view = screen_view(state(step=Step.RESULT, service_id=spec.id, outcome="approved"), spec, TODAY)
    assert view["outcome_line"] == ("马上办好（秒批）：检查通过，点确认提交后当场取得仅销售预包装食品备案回执，"
                                    "并打印一张小票（凭条）")


def test_an_accepted_application_names_its_date_as_the_screen_writes_dates():
    spec = CATALOG["public-place-health-permit"]  # 20 days of staff review
    view = screen_view(state(step=Step.RESULT, service_id=spec.id, outcome="accepted"), spec, TODAY)
    due = TODAY + dt.timedelta(days=spec.processing_days)
    assert f"{due:%Y}年{due:%m}月{due:%d}日" in view["outcome_line"] and due.isoformat() not in view["outcome_line"]
    english = screen_view(state(step=Step.RESULT, service_id=spec.id, outcome="accepted", language="en"), spec, TODAY)
    assert due.isoformat() in english["outcome_line"]


def test_the_result_names_what_was_promised_with_its_terms_and_the_window():
    spec = CATALOG["public-place-health-permit"]
    plan = next(m for m in spec.materials if m.how == "camera_or_promise")
    base = {"step": Step.RESULT, "service_id": spec.id, "materials": (plan.name,)}
    assert screen_view(state(**base, outcome="approved"), spec, TODAY, "3")["promised_line"] == ""
    promised = screen_view(state(**base, outcome="approved", materials_promised=(plan.name,)), spec, TODAY, "3")
    line = promised["promised_line"]
    assert line.startswith(f"已承诺后补：{plan.name}（{plan.note}）") and "3号窗口" in line
    english = screen_view(state(**base, outcome="approved", materials_promised=(plan.name,), language="en"),
                          spec, TODAY, "3")["promised_line"]
    assert english.startswith("Promised for later: ") and "window 3" in english
    assert not [c for c in english if "\u4e00" <= c <= "\u9fff"], english


def test_the_card_screen_points_to_this_terminals_reader():
    card = state(step=Step.CARD, service_id="public-place-health-permit")
    spec = CATALOG["public-place-health-permit"]
    assert screen_view(card, spec, TODAY)["reader_where"] == "↓ 读卡器在屏幕下方"
    assert screen_view(card, spec, TODAY, reader_position="right")["reader_where"] == "→ 读卡器在屏幕右侧"
    english = dataclasses.replace(card, language="en")
    assert screen_view(english, spec, TODAY, reader_position="left")["reader_where"] == \
        "← The card reader is to the left of the screen"
    assert screen_view(card, spec, TODAY, reader_position="on the moon")["reader_where"] == "↓ 读卡器在屏幕下方"


def test_the_readers_position_comes_from_the_kiosks_display_settings(tmp_path):
    from kiosk.config import demo_config
    from kiosk.ui.views.screen import kiosk_facts

    config = demo_config(tmp_path)
    config = dataclasses.replace(config, display=dataclasses.replace(config.display, reader_position="right"))
    services = type("Services", (), {"kiosk": type("Kiosk", (), {"config": config, "devices": None})()})()
    assert kiosk_facts(services)["reader_position"] == "right"
    assert kiosk_facts(None)["reader_position"] == "below"

"""kiosk.services.panel_forms: device addresses built from the panel's fields (and split back), the
settings form's values checked and turned into config keys."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kiosk.config import demo_config
from kiosk.device_check import check_printer_url, check_reader_url
from kiosk.services.panel_forms import (
    FormError,
    printer_url,
    reader_ports,
    reader_url,
    settings_changes,
    settings_form,
    split_printer_url,
    split_reader_url,
)


def test_reader_url_from_a_port_and_a_baud_rate_and_back():
    assert reader_url("/dev/ttyUSB0", 57600) == "/dev/ttyUSB0?baudrate=57600"
    assert reader_url("sim://?card=adult", "115200") == "sim://?card=adult"
    assert reader_url("sim://", 9600) == "sim://?baudrate=9600"
    assert split_reader_url("/dev/ttyUSB0?baudrate=57600") == ("/dev/ttyUSB0", 57600)
    assert split_reader_url("sim://?card=adult&baudrate=9600") == ("sim://?card=adult", 9600)
    for url in ("/dev/ttyUSB0?baudrate=57600", "sim://?card=adult"):
        check_reader_url(url)
    with pytest.raises(FormError, match="波特率 1200"):
        reader_url("/dev/ttyUSB0", 1200)
    with pytest.raises(FormError, match="端口为空"):
        reader_url("  ", 9600)


def test_reader_ports_list_the_detected_ports_then_the_simulator():
    ports = reader_ports([SimpleNamespace(device="/dev/ttyUSB1", description="CH340"),
                          SimpleNamespace(device="/dev/ttyS0", description="n/a")])
    assert [port.device for port in ports] == ["/dev/ttyS0", "/dev/ttyUSB1", "sim://"]
    assert "CH340" in ports[1].description


@pytest.mark.parametrize(("form", "url"), [
    ({"kind": "tcp", "host": "192.168.1.50", "port": "", "profile": "xprinter-80"},
     "tcp://192.168.1.50:9100?profile=xprinter-80"),
    ({"kind": "serial", "device": "/dev/ttyS1", "baudrate": "19200", "width": "384", "mode": "raster"},
     "serial:///dev/ttyS1?baudrate=19200&width=384&mode=raster"),
    ({"kind": "usb", "usb": "0x0416:0x5011"}, "usb://0x0416:0x5011"),
    ({"kind": "cups", "queue": "receipt", "profile": "generic-58"}, "cups://receipt?profile=generic-58"),
    ({"kind": "sim"}, "sim://"),
])
def test_printer_url_from_fields_is_valid_and_splits_back(form, url):
    built = printer_url(form)
    assert built == url
    check_printer_url(built)
    split = split_printer_url(built)
    assert printer_url(split) == built


@pytest.mark.parametrize(("form", "words"), [
    ({"kind": "tcp", "host": ""}, "地址为空"),
    ({"kind": "tcp", "host": "h", "port": "70000"}, "端口 70000"),
    ({"kind": "serial", "device": ""}, "串口为空"),
    ({"kind": "serial", "device": "/dev/ttyS1", "baudrate": "1234"}, "波特率 1234"),
    ({"kind": "cups", "queue": ""}, "队列名为空"),
    ({"kind": "lpt"}, "类型"),
])
def test_printer_fields_that_cannot_make_an_address_are_refused(form, words):
    with pytest.raises(FormError, match=words):
        printer_url(form)


def test_settings_form_round_trips_to_config_keys():
    form = settings_form(demo_config())
    assert form["hallName"] == "铜梁区政务服务中心" and form["formIdle"] == "90" and form["elderDefault"] is False
    changes = settings_changes({**form, "formIdle": "120", "language": "en", "elderDefault": True})
    assert changes["timeouts.form_idle_s"] == 120.0 and changes["language"] == "en"
    assert changes["display.elder_mode_default"] is True and changes["retention_days"] == 180


@pytest.mark.parametrize(("field", "value", "words"), [
    ("hallName", " ", "不能为空"),
    ("formIdle", "abc", "不是数字"),
    ("countdown", "2", "超出范围"),
    ("retentionDays", "1.5", "不是数字"),
    ("retentionDays", "0", "超出范围"),
    ("language", "fr", "不可选"),
    ("volume", "101", "超出范围"),
    ("nonsense", "1", "没有设置项"),
])
def test_bad_settings_are_refused_with_the_field_named(field, value, words):
    with pytest.raises(FormError, match=words):
        settings_changes({field: value})

"""`python -m idreader` as a technician runs it: real processes, real files, real sockets and ptys."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from idreader import demo_cards
from idreader.cards import encode_text_block
from idreader.cli import main
from idreader.photo import placeholder_wlt
from idreader.protocol import Sw3, encode_read_response, encode_response

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT = 20


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "idreader", *args], capture_output=True, text=True,
                          input=stdin, timeout=TIMEOUT, cwd=ROOT, check=False)


def hex_file(tmp_path: Path, data: bytes, spaced: bool = True) -> Path:
    text = data.hex(" ").upper() if spaced else data.hex()
    lines = "\n".join(text[i : i + 96] for i in range(0, len(text), 96))
    path = tmp_path / "reply.hex"
    path.write_text(lines + "\n", encoding="ascii")
    return path


def test_decode_prints_only_the_card_json(tmp_path):
    card = demo_cards.get("foreign2023")
    photo = placeholder_wlt(7)
    path = hex_file(tmp_path, encode_read_response(encode_text_block(card), photo))
    result = run("decode", str(path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == {**card.to_dict(), "photo_wlt": data["photo_wlt"]}
    from idreader import IdCard

    assert IdCard.from_dict(data).photo_wlt == photo


def test_decode_from_stdin_with_fingerprint_block(tmp_path):
    card = demo_cards.get("longterm")
    frame = encode_read_response(encode_text_block(card), placeholder_wlt(), bytes(1024))
    result = run("decode", "-", stdin=frame.hex())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["valid_to"] is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (encode_response(Sw3.READ_FAILED), "0x41"),
        (encode_response(Sw3.SUCCESS, bytes(20))[:-1] + b"\x00", "checksum"),
        (encode_read_response(bytes(256), bytes(1024))[:600], "cut short"),
        (bytes.fromhex("AAAAAA9669FFFF00"), "length"),
        (encode_response(Sw3.SUCCESS, b"\x01\x00\x04\x00" + bytes(8)), "lengths"),
        (b"\x01\x02", "preamble"),
    ],
    ids=["status", "checksum", "truncated", "length", "blocks", "nothing"],
)
def test_decode_failures_are_one_line_exit_1(tmp_path, capsys, data, message):
    assert main(["decode", str(hex_file(tmp_path, data))]) == 1  # in-process: the same code, faster
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_decode_failure_in_a_real_process_has_no_traceback(tmp_path):
    result = run("decode", str(hex_file(tmp_path, encode_response(Sw3.SAM_SELF_TEST_FAILED))))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: SW3 0x60: SAM self-test failed; accepts no commands (SAM自检失败，不能接收命令)"
    ]


def test_decode_rejects_non_hex_and_missing_files(tmp_path, capsys):
    path = tmp_path / "x.hex"
    path.write_text("AA AA zz", encoding="ascii")
    binary = tmp_path / "x.bin"
    binary.write_bytes("读卡".encode())
    for args in (["decode", str(path)], ["decode", str(tmp_path / "missing.hex")], ["decode", str(binary)]):
        assert main(args) == 1
        out, err = capsys.readouterr()
        assert out == "" and len(err.strip().splitlines()) == 1


@pytest.fixture
def simulate(tmp_path) -> Iterator:
    procs: list[subprocess.Popen[str]] = []

    def start(*args: str) -> str:
        proc = subprocess.Popen([sys.executable, "-m", "idreader", "simulate", *args], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout is not None
        return proc.stdout.readline().strip()

    yield start
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=TIMEOUT) == 0


def test_simulate_tcp_then_read_json(simulate):
    url = simulate("--tcp", "127.0.0.1:0", "--card", "adult")
    assert url.startswith("socket://127.0.0.1:") and not url.endswith(":0")
    result = run("read", "--port", url, "--json", "--timeout", "10")
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert {**card, "photo_wlt": None} == demo_cards.get("adult").to_dict()


def test_simulate_pty_with_a_card_file_without_photo(simulate, tmp_path):
    data = demo_cards.get("hmt").to_dict()
    assert data["photo_wlt"] is None
    card_file = tmp_path / "hmt.json"
    card_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    path = simulate("--pty", "--card", str(card_file))
    assert path.startswith("/dev/pts/") and os.path.exists(path)
    result = run("read", "--port", path, "--json", "--timeout", "10")
    assert result.returncode == 0, result.stderr
    from idreader import IdCard

    card = IdCard.from_dict(json.loads(result.stdout))
    assert card.without_photo() == demo_cards.get("hmt")
    assert card.photo_wlt[:3] == b"WLf" and len(card.photo_wlt) == 1024


def test_probe_and_human_read(simulate):
    url = simulate("--tcp", "127.0.0.1:0", "--card", "rare_char")
    probe = run("probe", "--port", url)
    assert probe.returncode == 0, probe.stderr
    assert "05.01-20101009-0000012345-1234567890" in probe.stdout
    read = run("read", "--port", url)
    assert read.returncode == 0, read.stderr
    assert "陈喆" in read.stdout and "5001**********0096" in read.stdout
    assert "500151199512300096" not in read.stdout  # human output masks the number


def test_bad_inputs_give_one_line(tmp_path, capsys):
    for args in (["read", "--port", "sim://?card=nobody"], ["simulate", "--tcp", "nowhere"],
                 ["simulate", "--pty", "--card", str(tmp_path / "none.json")]):
        assert main(args) == 1, args
        _, err = capsys.readouterr()
        assert len(err.strip().splitlines()) == 1


def test_ports_lists_the_simulator():
    result = run("ports")
    assert result.returncode == 0
    assert "sim://" in result.stdout

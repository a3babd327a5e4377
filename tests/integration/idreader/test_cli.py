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
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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


BAD_OPTIONS = [
    (["read", "--port", "sim://?card=nobody"], "'nobody' is neither a demo card"),
    (["read", "--port", "sim://", "--timeout", "inf"], "argument --timeout: 'inf' is not a finite number"),
    (["read", "--port", "sim://", "--timeout", "nan"], "argument --timeout: 'nan' is not a finite number"),
    (["read", "--port", "sim://", "--timeout", "-1"], "argument --timeout: '-1' is not a finite number"),
    (["read", "--port", "sim://", "--timeout", "1e300"], "at most 86400"),
    (["read", "--port", "sim://", "--timeout", "soon"], "'soon' is not a number of seconds"),
    (["simulate", "--tcp", "nowhere"], "argument --tcp: 'nowhere' is not HOST:PORT"),
    (["simulate", "--tcp", "127.0.0.1:99999"], "with a port from 0 to 65535"),
    (["simulate", "--tcp", ":7000"], "argument --tcp: ':7000' is not HOST:PORT"),
    (["simulate", "--pty", "--card", "nobody"], "--card: 'nobody' is neither a demo card"),
    (["simulate", "--pty", "--card", "MISSING"], "is neither a demo card"),
    (["simulate", "--pty", "--baudrate", "0"], "argument --baudrate: '0' is not a reader line speed"),
    (["simulate", "--pty", "--baudrate", "12345"], "(115200, 57600, 38400, 19200, 9600)"),
    (["simulate", "--pty", "--hold", "nan"], "argument --hold: 'nan' is not a finite number of seconds at least 0"),
    (["simulate", "--pty", "--hold", "-2"], "argument --hold: '-2' is not a finite number"),
    (["simulate", "--pty", "--fault", "fire"], "argument --fault: unknown fault 'fire'"),
    (["simulate", "--pty", "--fault", "silence:0"], "fault count must be a whole number from 1"),
    (["simulate", "--pty", "--fault", "silence@nowhere"], "unknown fault target 'nowhere'"),
    (["simulate", "--pty", "--what"], "unrecognized arguments: --what"),
    (["simulate"], "one of the arguments --pty --tcp is required"),
]


@pytest.mark.parametrize(("args", "words"), BAD_OPTIONS, ids=[" ".join(a) for a, _ in BAD_OPTIONS])
def test_bad_options_give_one_line_and_exit_2(tmp_path, capsys, args, words):
    args = [str(tmp_path / "none.json") if arg == "MISSING" else arg for arg in args]
    assert main(args) == 2, args
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert words in err


def test_bad_card_files_for_the_simulator_give_one_line(tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
    nameless = tmp_path / "nameless.json"
    nameless.write_text(json.dumps({**demo_cards.get("adult").to_dict(), "name": ""}), encoding="utf-8")
    for path, words in ((deep, "nested 10000 levels deep"), (nameless, "name is empty")):
        assert main(["simulate", "--pty", "--card", str(path)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and len(err.splitlines()) == 1 and words in err, err


def test_bad_options_in_a_real_process_have_no_traceback():
    for args in (["simulate", "--tcp", "127.0.0.1:99999"], ["read", "--port", "sim://", "--timeout", "inf"],
                 ["simulate", "--tcp", "127.0.0.1:0", "--baudrate", "0"]):
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr


def test_a_port_that_cannot_be_listened_on_is_bad_input(simulate, capsys):
    url = simulate("--tcp", "127.0.0.1:0", "--card", "adult")
    taken = url.removeprefix("socket://")
    assert main(["simulate", "--tcp", taken]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"error: --tcp {taken}: cannot listen there: ")


def test_simulate_fault_options_reach_the_reader(simulate):
    once = simulate("--tcp", "127.0.0.1:0", "--card", "adult", "--hold", "60", "--fault", "bad_checksum")
    result = run("read", "--port", once, "--json", "--timeout", "10")
    assert result.returncode == 0, result.stderr  # one spoilt reply: the reader read it again
    assert json.loads(result.stdout)["name"] == "张伟"
    twice = simulate("--pty", "--card", "adult", "--hold", "60", "--fault", "bad-checksum:2@read")
    result = run("read", "--port", twice, "--timeout", "5")  # both reads fail within ~1 s
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "last fault: read_failed" in result.stderr


def test_simulate_takes_commands_on_stdin():
    proc = subprocess.Popen([sys.executable, "-m", "idreader", "simulate", "--pty", "--card", "adult",
                             "--hold", "60"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        url = proc.stdout.readline().strip()

        def say(line: str) -> str:
            proc.stdin.write(line + "\n")
            proc.stdin.flush()
            return proc.stdout.readline().strip()

        assert say("status") == "card 张伟 (resident); faults armed: none"
        assert say("fault bad_checksum:2") == (
            "ok: card 张伟 (resident); faults armed: bad_checksum@read, bad_checksum@read")
        failed = run("read", "--port", url, "--timeout", "5")
        assert failed.returncode == 1 and "last fault: read_failed" in failed.stderr
        assert say("status") == "card 张伟 (resident); faults armed: none"
        assert say("place nobody").startswith("error: 'nobody' is neither a demo card")
        assert say("explode").startswith("error: unknown simulator command 'explode'")
        assert say("place minor") == "ok: card 张小雨 (resident); faults armed: none"
        read = run("read", "--port", url, "--timeout", "10")
        assert read.returncode == 0 and "张小雨" in read.stdout, read.stderr
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        assert proc.wait(timeout=TIMEOUT) == 0
        assert proc.stderr is not None and proc.stderr.read() == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_ports_lists_the_simulator():
    result = run("ports")
    assert result.returncode == 0
    assert "sim://" in result.stdout

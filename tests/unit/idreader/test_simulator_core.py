"""The simulated reader's behaviour, driven frame by frame without any transport or thread."""

from __future__ import annotations

import pytest

from idreader import demo_cards
from idreader.cards import decode_read_reply
from idreader.errors import CardFileError, ChecksumError, FrameError, LengthError, SimulatorError
from idreader.protocol import (
    MIN_REQUEST_LEN,
    Command,
    FrameDecoder,
    Sw3,
    decode_frame,
    encode_request,
    request,
    set_baud_rate_request,
)
from idreader.simulator import GARBAGE, SAM_ID_BYTES, SimulatedReader


def ask(sim: SimulatedReader, frame: bytes) -> bytes:
    [parsed] = FrameDecoder(min_length=MIN_REQUEST_LEN).feed_and_collect(frame)
    reply = sim.handle(parsed)
    sim.after_reply(parsed)
    return reply.data


def status(sim: SimulatedReader, command: Command) -> int:
    return decode_frame(ask(sim, request(command))).sw3


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_exact_replies_of_the_spec():
    sim = SimulatedReader(["adult"])
    assert ask(sim, request(Command.SAM_STATUS)).hex(" ") == "aa aa aa 96 69 00 04 00 00 90 94"
    assert ask(sim, request(Command.RESET_SAM)).hex(" ") == "aa aa aa 96 69 00 04 00 00 90 94"
    assert decode_frame(ask(sim, request(Command.SAM_ID))).data == SAM_ID_BYTES
    assert ask(sim, request(Command.FIND_CARD)).hex(" ") == "aa aa aa 96 69 00 08 00 00 9f 00 00 00 00 97"
    assert ask(sim, request(Command.SELECT_CARD)).hex(" ") == (
        "aa aa aa 96 69 00 0c 00 00 90 00 00 00 00 00 00 00 00 9c")
    reply = ask(sim, request(Command.READ_TEXT_PHOTO))
    assert len(reply) == 1295 and reply[:14].hex() == "aaaaaa9669050800009001000400"
    card = decode_read_reply(decode_frame(reply))
    assert card.without_photo() == demo_cards.get("adult")
    assert card.photo_wlt[:3] == b"WLf" and len(card.photo_wlt) == 1024


def test_no_card():
    sim = SimulatedReader()
    assert status(sim, Command.FIND_CARD) == Sw3.FIND_FAILED
    assert status(sim, Command.SELECT_CARD) == Sw3.SELECT_FAILED
    assert status(sim, Command.READ_TEXT_PHOTO) == Sw3.READ_FAILED


def test_find_fails_until_the_card_is_removed():
    sim = SimulatedReader(["adult"])
    assert status(sim, Command.FIND_CARD) == Sw3.FIND_OK
    assert status(sim, Command.SELECT_CARD) == Sw3.SUCCESS
    assert status(sim, Command.READ_TEXT_PHOTO) == Sw3.SUCCESS
    assert status(sim, Command.FIND_CARD) == Sw3.FIND_FAILED
    assert status(sim, Command.SELECT_CARD) == Sw3.SUCCESS  # still in the field
    assert status(sim, Command.READ_ADDITIONAL_ADDRESS) == Sw3.NO_CONTENT
    sim.remove_card()
    assert status(sim, Command.SELECT_CARD) == Sw3.SELECT_FAILED
    sim.place_card("hmt")
    assert status(sim, Command.FIND_CARD) == Sw3.FIND_OK


def test_read_without_select_fails_and_needs_the_card_put_back():
    sim = SimulatedReader(["adult"])
    assert status(sim, Command.FIND_CARD) == Sw3.FIND_OK
    assert status(sim, Command.READ_TEXT_PHOTO) == Sw3.READ_FAILED
    assert status(sim, Command.FIND_CARD) == Sw3.FIND_FAILED


def test_fingerprint_read_has_an_empty_fingerprint_block():
    sim = SimulatedReader(["foreign2017"])
    status(sim, Command.SELECT_CARD)
    reply = ask(sim, request(Command.READ_WITH_FINGERPRINT))
    assert len(reply) == 1297 and reply[:10].hex() == "aaaaaa9669050a000090"


def test_host_frame_errors_and_unknown_commands():
    sim = SimulatedReader()
    assert decode_frame(sim.handle_bad_frame(ChecksumError("x")).data).sw3 == Sw3.CHECKSUM_ERROR
    assert decode_frame(sim.handle_bad_frame(LengthError("x")).data).sw3 == Sw3.LENGTH_ERROR
    assert decode_frame(ask(sim, encode_request(0x77, 0x01))).sw3 == Sw3.COMMAND_ERROR


def test_baud_rate_changes_after_the_reply():
    sim = SimulatedReader()
    assert decode_frame(ask(sim, set_baud_rate_request(9600))).sw3 == Sw3.SUCCESS
    assert sim.baudrate == 9600


@pytest.mark.parametrize("kind", ["garbage", "bad_checksum", "truncated"])
def test_wire_faults_apply_once_to_their_target(kind):
    sim = SimulatedReader(["adult"])
    sim.inject_fault(kind, on="select")
    assert status(sim, Command.FIND_CARD) == Sw3.FIND_OK  # not the target: untouched
    faulty = ask(sim, request(Command.SELECT_CARD))
    if kind == "garbage":
        assert faulty.startswith(GARBAGE) and decode_frame(faulty).sw3 == Sw3.SUCCESS
    elif kind == "bad_checksum":
        with pytest.raises(ChecksumError):
            decode_frame(faulty)
    else:
        with pytest.raises(FrameError):
            decode_frame(faulty)
    assert status(sim, Command.SELECT_CARD) == Sw3.SUCCESS


def test_silence_and_disconnect():
    sim = SimulatedReader()
    sim.inject_fault("silence", count=2)
    sim.inject_fault("disconnect", on="status")
    [frame] = FrameDecoder(min_length=2).feed_and_collect(request(Command.SAM_STATUS))
    assert sim.handle(frame).data == b""
    assert sim.handle(frame).data == b""
    assert sim.handle(frame).disconnect
    assert decode_frame(sim.handle(frame).data).sw3 == Sw3.SUCCESS


def test_lift_mid_read_cuts_the_reply_and_removes_the_card():
    sim = SimulatedReader(["adult"])
    sim.inject_fault("lift_mid_read")
    status(sim, Command.FIND_CARD)
    status(sim, Command.SELECT_CARD)
    cut = ask(sim, request(Command.READ_TEXT_PHOTO))
    assert 0 < len(cut) < 1295
    assert sim.current_card is None
    assert status(sim, Command.SELECT_CARD) == Sw3.SELECT_FAILED


def test_sam_failure_until_cleared():
    sim = SimulatedReader(["adult"])
    sim.inject_fault("sam_failure")
    assert ask(sim, request(Command.SAM_STATUS)).hex(" ") == "aa aa aa 96 69 00 04 00 00 60 64"
    assert status(sim, Command.FIND_CARD) == Sw3.SAM_SELF_TEST_FAILED
    sim.clear_faults()
    assert status(sim, Command.SAM_STATUS) == Sw3.SUCCESS


def test_unknown_fault_and_target():
    sim = SimulatedReader()
    with pytest.raises(SimulatorError, match="known"):
        sim.inject_fault("fire")
    with pytest.raises(SimulatorError, match="target"):
        sim.inject_fault("silence", on="everything")


def test_deck_cycles_with_hold_time():
    clock = FakeClock()
    sim = SimulatedReader(["adult", "minor"], hold_seconds=2.0, clock=clock)
    status(sim, Command.SELECT_CARD)
    status(sim, Command.READ_TEXT_PHOTO)
    clock.now += 1.9
    assert sim.current_card.name == "张伟"
    clock.now += 0.2
    assert sim.current_card is None
    clock.now += 2.0
    assert sim.current_card.name == "张小雨"
    assert status(sim, Command.FIND_CARD) == Sw3.FIND_OK


def test_cards_from_json_files(tmp_path):
    path = tmp_path / "card.json"
    path.write_text(demo_cards.path("elderly").read_text(encoding="utf-8"), encoding="utf-8")
    sim = SimulatedReader([str(path)])
    assert sim.current_card == demo_cards.get("elderly")
    with pytest.raises(CardFileError, match="neither"):
        SimulatedReader([str(tmp_path / "missing.json")])
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(CardFileError, match="not an IdCard"):
        SimulatedReader([str(bad)])

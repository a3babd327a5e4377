"""The simulator's text controls: `--fault NAME[:COUNT][@TARGET]` and the stdin commands (pure, in-process)."""

from __future__ import annotations

import pytest

from idreader.errors import SimulatorError
from idreader.simcontrol import FaultSpec, apply_command, parse_fault
from idreader.simulator import SimulatedReader


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("bad_checksum", FaultSpec("bad_checksum", 1, "read")),
        ("bad-checksum:3", FaultSpec("bad_checksum", 3, "read")),
        ("garbage@any", FaultSpec("garbage", 1, "any")),
        ("silence:2@find", FaultSpec("silence", 2, "find")),
        ("cut_frame", FaultSpec("truncated", 1, "read")),
        ("LIFT-MID-READ", FaultSpec("lift_mid_read", 1, "read")),
        ("sam_failure", FaultSpec("sam_failure", 1, "read")),
    ],
)
def test_fault_specs(text, spec):
    assert parse_fault(text) == spec


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("fire", "unknown fault 'fire' in 'fire'; known: silence, garbage"),
        ("silence:0", "fault count must be a whole number from 1 to 1000000, not '0'"),
        ("silence:x", "fault count must be a whole number from 1 to 1000000, not 'x'"),
        ("silence:1e3", "not '1e3'"),
        ("silence:99999999999999999999", "not '99999999999999999999'"),
        ("silence@everywhere", "unknown fault target 'everywhere' in 'silence@everywhere'; known: any"),
        ("", "unknown fault ''"),
    ],
)
def test_bad_fault_specs_say_what_is_wrong(text, words):
    with pytest.raises(SimulatorError) as caught:
        parse_fault(text)
    assert words in str(caught.value)


def test_commands_drive_the_simulator():
    sim = SimulatedReader(["adult"])
    assert apply_command(sim, "status") == "card 张伟 (resident); faults armed: none"
    assert apply_command(sim, "fault bad_checksum:2") == (
        "ok: card 张伟 (resident); faults armed: bad_checksum@read, bad_checksum@read")
    assert apply_command(sim, "fault sam_failure").endswith("bad_checksum@read, sam_failure@any")
    assert apply_command(sim, "clear") == "ok: card 张伟 (resident); faults armed: none"
    assert apply_command(sim, "lift") == "ok: no card; faults armed: none"
    assert apply_command(sim, "place hmt") == "ok: card 陈家明 (hmt_residence); faults armed: none"
    assert apply_command(sim, "   ") == ""
    assert "place NAME|FILE" in apply_command(sim, "help")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("place nobody", "'nobody' is neither a demo card"),
        ("place", "place takes one demo card name"),
        ("fault", "fault takes one NAME[:COUNT][@TARGET]"),
        ("fault fire", "unknown fault 'fire'"),
        ("explode now", "unknown simulator command 'explode'"),
    ],
)
def test_bad_commands_are_one_line_errors(line, words):
    sim = SimulatedReader(["adult"])
    with pytest.raises(SimulatorError) as caught:
        apply_command(sim, line)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert sim.current_card is not None and sim.armed_faults == []

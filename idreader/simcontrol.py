"""Controlling a running simulator by text: `--fault` specs and stdin commands of `python -m idreader simulate`.

Pure parsing plus calls on a `SimulatedReader`; nothing here does I/O. The fault names are the
simulator's (`FAULTS`), the ones the demo drawer offers among them:

    silence        no reply                        garbage        bytes before the preamble
    bad_checksum   a wrong XOR byte                truncated      the reply cut short (alias cut_frame)
    lift_mid_read  the read reply is cut and the card leaves the field
    sam_failure    every command answers 60 until `clear`       disconnect  a TCP client is dropped

A fault spec is `NAME[:COUNT][@TARGET]`: COUNT replies (default 1) to TARGET (`read` by default: the
reply that carries the card; or any, status, sam_id, find, select). Hyphens may stand for underscores.
Commands, one per line: place NAME|FILE, lift, fault SPEC, clear, status, help, quit.
"""

from __future__ import annotations

from dataclasses import dataclass

from idreader.errors import CardFileError, SimulatorError
from idreader.simulator import FAULT_TARGETS, FAULTS, SimulatedReader

DEFAULT_TARGET = "read"
MAX_FAULT_COUNT = 1_000_000
ALIASES = {"cut_frame": "truncated", "cut": "truncated", "lift": "lift_mid_read"}
CONTROL_HELP = ("commands: place NAME|FILE, lift, fault NAME[:COUNT][@TARGET], clear, status, help, quit; "
                f"faults: {', '.join(FAULTS)}; targets: {', '.join(FAULT_TARGETS)}")


@dataclass(frozen=True)
class FaultSpec:
    """One parsed `NAME[:COUNT][@TARGET]`."""

    kind: str
    count: int = 1
    target: str = DEFAULT_TARGET

    def arm(self, sim: SimulatedReader) -> None:
        sim.inject_fault(self.kind, self.count, self.target)

    def __str__(self) -> str:
        return f"{self.kind}:{self.count}@{self.target}"


def parse_fault(text: str) -> FaultSpec:
    """Parse `NAME[:COUNT][@TARGET]`; SimulatorError saying what is wrong."""
    spec = text.strip()
    rest, _, target = spec.partition("@")
    name, _, count_text = rest.partition(":")
    kind = name.strip().lower().replace("-", "_")
    kind = ALIASES.get(kind, kind)
    if kind not in FAULTS:
        raise SimulatorError(f"unknown fault {name.strip()!r} in {spec!r}; known: {', '.join(FAULTS)}")
    count = 1
    if count_text:
        if not (count_text.isascii() and count_text.isdigit()) or not 1 <= int(count_text) <= MAX_FAULT_COUNT:
            raise SimulatorError(f"fault count must be a whole number from 1 to {MAX_FAULT_COUNT}, "
                                 f"not {count_text!r} in {spec!r}")
        count = int(count_text)
    target = target.strip().lower() or DEFAULT_TARGET
    if target not in FAULT_TARGETS:
        raise SimulatorError(f"unknown fault target {target!r} in {spec!r}; known: {', '.join(FAULT_TARGETS)}")
    return FaultSpec(kind, count, target)


def describe(sim: SimulatedReader) -> str:
    """One line: the card in the field and the faults still armed."""
    card = sim.current_card
    here = f"card {card.display_name} ({card.card_type})" if card is not None else "no card"
    armed = sim.armed_faults
    faults = ", ".join(f"{kind}@{target}" for kind, target in armed) if armed else "none"
    return f"{here}; faults armed: {faults}"


def apply_command(sim: SimulatedReader, line: str) -> str:
    """Run one control command; return a one-line answer. SimulatorError for a bad command."""
    words = line.split()
    if not words:
        return ""
    command, args = words[0].lower(), words[1:]
    if command == "place":
        if len(args) != 1:
            raise SimulatorError("place takes one demo card name or IdCard JSON file")
        try:
            sim.place_card(args[0])
        except CardFileError as exc:
            raise SimulatorError(str(exc)) from None
        return f"ok: {describe(sim)}"
    if command in ("lift", "remove"):
        sim.remove_card()
        return f"ok: {describe(sim)}"
    if command == "fault":
        if len(args) != 1:
            raise SimulatorError("fault takes one NAME[:COUNT][@TARGET], e.g. fault bad_checksum:2@read")
        parse_fault(args[0]).arm(sim)
        return f"ok: {describe(sim)}"
    if command == "clear":
        sim.clear_faults()
        return f"ok: {describe(sim)}"
    if command == "status":
        return describe(sim)
    if command == "help":
        return CONTROL_HELP
    raise SimulatorError(f"unknown simulator command {command!r}; {CONTROL_HELP}")

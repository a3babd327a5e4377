"""Decision: approved, accepted or blocked, from the item's mode and the findings (contract).

- `blocked`  when any finding is `block` (nothing is submitted, no number is used);
- `accepted` when the item's mode is `accept`, or any finding is `review` (staff decide later);
- `approved` otherwise (秒批: the licence is issued at the kiosk).
For a 一件事 bundle, `items` holds one result line per sub-item: each sub-item follows the bundle's
outcome, except one whose `when` condition does not hold for the answers (given as `symbols`, the
review's symbols): it is `skipped` (not applied for) and its line says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms.conditions import compile_condition
from forms.review import Finding
from forms.spec import Severity

if TYPE_CHECKING:
    from forms.spec import BundleItem, ServiceSpec

OUTCOMES = ("approved", "accepted", "blocked")
SKIPPED = "skipped"  # a bundle's sub-item that these answers do not apply for
OUTCOME_LABELS = {"approved": "已办结（当场发证）", "accepted": "已受理", "blocked": "未提交"}


@dataclass(frozen=True)
class ItemResult:
    """One sub-item of a bundle and what happens to it."""

    id: str
    title: str
    department: str
    outcome: str
    line: str


@dataclass(frozen=True)
class Decision:
    """The outcome of a review: approved, accepted or blocked, and why."""

    outcome: str  # approved | accepted | blocked
    findings: tuple[Finding, ...]
    items: tuple[ItemResult, ...] = ()

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == Severity.BLOCK)

    @property
    def for_review(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == Severity.REVIEW)

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def _applies(sub: BundleItem, symbols: Mapping[str, Any] | None) -> bool:
    return sub.when is None or symbols is None or compile_condition(sub.when).holds(symbols)


def decide(spec: ServiceSpec, findings: Iterable[Finding], symbols: Mapping[str, Any] | None = None) -> Decision:
    """The outcome; `symbols` (the review's, `forms.review.check_fields(...).symbols`) decide which
    sub-items of a bundle apply; without them every sub-item does."""
    findings = tuple(findings)
    severities = {f.severity for f in findings}
    if Severity.BLOCK in severities:
        outcome = "blocked"
    elif spec.mode == "accept" or Severity.REVIEW in severities:
        outcome = "accepted"
    else:
        outcome = "approved"
    items: tuple[ItemResult, ...] = ()
    if spec.bundle:
        items = tuple(
            ItemResult(sub.id, sub.title, sub.department, outcome,
                       sub.result if outcome != "blocked" else f"{sub.title}：未提交，请先改正标出的问题。")
            if _applies(sub, symbols) else
            ItemResult(sub.id, sub.title, sub.department, SKIPPED, sub.skipped or f"{sub.title}：本次未申请。")
            for sub in spec.bundle
        )
    return Decision(outcome, findings, items)

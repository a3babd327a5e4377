"""Named idle settings of the applicant session, in seconds (the kiosk config maps onto these).

Each step has its own idle timeout; when it passes, a visible countdown of `countdown_seconds` starts,
one touch extends the session, and at zero everything personal is wiped. `None` means the step never
times out. Saving and printing never time out, whatever the settings say (see `IdleSettings.timeout_for`).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.session.state import Step


@dataclass(frozen=True)
class IdleSettings:
    """Idle timeouts per step, in seconds (from the config's [timeouts])."""

    card_seconds: float = 60.0
    """Waiting for the card on the reader (and the card-swap question)."""
    form_seconds: float = 90.0
    """The form, the pre-review, the materials/commitment and the signing screens."""
    result_seconds: float = 30.0
    """The result screen (outcome and delivery choice, before anything is saved)."""
    print_failed_seconds: float = 120.0
    """The printer-fault screen: the application is saved, staff can reprint it by number."""
    rating_seconds: float = 30.0
    """The 好差评 screen; timing out skips the rating."""
    start_with_data_seconds: float = 90.0
    """The start screen when the applicant went back to it with a card read or answers typed."""
    countdown_seconds: int = 20
    """The visible countdown after a timeout; one touch cancels it."""
    thanks_seconds: float = 5.0
    """How long the thank-you screen shows before the kiosk returns to the start."""

    elder_mode: bool = False
    """The hall's default: a fresh visit starts in elder mode (长辈模式) or not."""
    language: str = "zh"
    """The hall's default language of a fresh visit."""

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
                raise ValueError(f"idle setting {name} must be positive, not {value!r}")

    def timeout_for(self, step: Step, has_personal_data: bool) -> float | None:
        """The idle timeout of a step, or None when the step never times out (saving, printing).
        The start screen times out only when it holds something of the last person: personal data,
        or an elder-mode / language choice other than the hall's defaults."""
        if step is Step.START:
            return self.start_with_data_seconds if has_personal_data else None
        return {
            Step.CARD: self.card_seconds,
            Step.FORM: self.form_seconds,
            Step.PREREVIEW: self.form_seconds,
            Step.MATERIALS: self.form_seconds,
            Step.SIGN: self.form_seconds,
            Step.RESULT: self.result_seconds,
            Step.PRINT_FAILED: self.print_failed_seconds,
            Step.RATING: self.rating_seconds,
        }.get(step)

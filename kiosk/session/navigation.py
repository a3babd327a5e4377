"""Navigation rules: the start screen's own pages, their back stack, and what each footer button may do.

Pure data and functions over a `SessionState`; the machine (machine.py) applies them and view.py puts
`page` and `buttons` into the view the screens render. QML decides none of this: it shows the buttons
the view lists and sends `Back` / `HomePressed` when they are tapped.

While the visit is at the `start` step the screen shows one of the start screen's pages (home, catalog,
intro, lookup); from the card step on, the page is the session's screen name.
"""

from __future__ import annotations

from kiosk.session.state import CARD_SWAP_SCREEN, SessionState, Step

START_PAGES = ("home", "catalog", "intro", "lookup")
START_BACK = {"intro": "catalog", "catalog": "home", "lookup": "home"}
"""Back within the start screen's pages: intro -> catalog -> home, lookup -> home."""

NO_HOME_STEPS = frozenset({Step.SAVING, Step.PRINTING, Step.THANKS})
"""Steps where 首页/取消 is not offered: the application is being committed or printed, or is done."""
HOME_WORD_SCREENS = frozenset({"start", "print_failed", "rating"})
"""Screens where the home button says 首页 (nothing left to cancel); elsewhere it says 取消办理."""


def page(state: SessionState) -> str:
    """The page to show: the start screen's own page at `start`, else the session's screen name."""
    return state.page if state.screen == "start" else state.screen


def buttons(state: SessionState) -> dict[str, object]:
    """The footer: `back` and `home` shown or not, and `home_word` (`home` or `cancel`) for its label."""
    shown = page(state)
    can_go_back = state.step.before_submission and state.step is not Step.START
    return {
        "back": (can_go_back and state.screen != CARD_SWAP_SCREEN) or shown in START_BACK,
        "home": shown != "home" and state.step not in NO_HOME_STEPS,
        "home_word": "home" if state.screen in HOME_WORD_SCREENS else "cancel",
    }

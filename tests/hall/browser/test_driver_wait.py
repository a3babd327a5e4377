"""`driver.wait_for` treats every way chromedriver says "that element is gone, the next page is loading" as
"not yet": a stale reference, a missing element, and the inspector's "Node with given id does not belong to
the document" (a WebDriverException, seen once in CI after a click that posts a form). Any other error still
ends the wait. No browser: a driver stand-in answers in turn."""

from __future__ import annotations

import driver
import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException

DETACHED_MESSAGE = ('unknown error: unhandled inspector error: {"code":-32000,"message":"Node with given id does '
                    'not belong to the document"}')


def answers(*replies):
    """A condition that raises or returns each of `replies` in turn."""
    pending = list(replies)

    def condition(_web):
        reply = pending.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    return condition


def test_a_node_taken_out_of_the_document_is_not_yet_like_a_stale_or_missing_element():
    condition = answers(WebDriverException(DETACHED_MESSAGE), StaleElementReferenceException("stale"),
                        NoSuchElementException("none"), "", "the next page")
    assert driver.wait_for(object(), condition, timeout=5) == "the next page"


def test_another_driver_error_ends_the_wait_at_once():
    with pytest.raises(WebDriverException, match="chrome not reachable"):
        driver.wait_for(object(), answers(WebDriverException("chrome not reachable"), "never"), timeout=5)

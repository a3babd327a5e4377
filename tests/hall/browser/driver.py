"""Headless Debian Chromium for the console's browser tests: a fresh profile per browser, no network
side-traffic, and a screenshot helper that keeps every picture for review.

Waiting is by condition only (`wait_for`), never by sleeping.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

#: Where the screenshots are copied for a reviewer to open after the run (printed by the tests).
SCREENSHOTS = Path("/tmp/miaoban-console-screens")

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         "--window-size=1360,900", "--lang=zh-CN")


def available() -> bool:
    """Whether Debian's chromium and chromedriver are installed (kiosk.sh installs them)."""
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


def start(profile: Path) -> Any:
    """A headless Chromium WebDriver with its own user-data dir under `profile`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


#: What chromedriver answers, instead of a stale element reference, when the element's node was taken out of
#: the document between finding it and reading it (the next page replacing this one after a click).
DETACHED = "does not belong to the document"


def wait_for(driver: Any, condition: Callable[[Any], Any], timeout: float = 10) -> Any:
    """Wait until `condition(driver)` is truthy (selenium's WebDriverWait) and return its value; an element
    missing or replaced while the next page loads counts as "not yet", however chromedriver words it."""
    from selenium.common.exceptions import (
        NoSuchElementException,
        StaleElementReferenceException,
        WebDriverException,
    )
    from selenium.webdriver.support.ui import WebDriverWait

    def checked(web: Any) -> Any:
        try:
            return condition(web)
        except WebDriverException as exc:
            if DETACHED in (exc.msg or ""):
                raise StaleElementReferenceException(exc.msg) from exc
            raise

    return WebDriverWait(driver, timeout, poll_frequency=0.05,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(checked)


class Screens:
    """Saves full-window screenshots in the test's tmp dir and copies them to SCREENSHOTS."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.saved: list[Path] = []

    def shot(self, driver: Any, name: str) -> Path:
        path = self.folder / f"{len(self.saved) + 1:02d}-{name}.png"
        height = driver.execute_script("return Math.max(document.body.scrollHeight, 900)")
        driver.set_window_size(1360, min(int(height) + 120, 4000))
        driver.save_screenshot(str(path))
        shutil.copy(path, SCREENSHOTS / path.name)
        self.saved.append(SCREENSHOTS / path.name)
        return path

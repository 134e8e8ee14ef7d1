"""Debian's headless Chromium for the tests, driven by its own chromedriver: nothing
downloads a driver or sends statistics, and the browser's own background traffic is
off, so that every request it logs is one a page made."""

from __future__ import annotations

import os
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def start_chromium() -> Any:
    """A new Chromium (a ``selenium`` driver) that logs its network requests."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_AVOID_STATS"] = "true"
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

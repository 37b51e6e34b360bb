"""Headless Chromium for the tests that need a real browser (pages, passkeys, cookies).

Playwright drives the system's Chromium (`scripts/browser.py` finds or installs it); no
browser is ever downloaded. One browser serves the session; each test gets a fresh
context (its own cookies and storage) so tests cannot see each other's state.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, async_playwright

from scripts.browser import ensure_chromium

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """The system's Chromium, started once for the session."""
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=ensure_chromium(), args=list(CHROMIUM_FLAGS)
        )
        yield chromium
        await chromium.close()


@pytest.fixture
async def browser_context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile (cookies, storage) for one test."""
    context = await browser.new_context()
    # Generous: a page load on a loaded machine can take seconds; outcomes never hinge on it.
    context.set_default_timeout(60_000)
    yield context
    await context.close()

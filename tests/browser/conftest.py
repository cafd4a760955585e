"""Browser tests: the simulator page in headless Chromium (Debian's package), via Playwright.

Needs `apt-get install chromium` and the `playwright` Python package; Playwright's own browser
download is not used. Without them these tests skip, unless P2K2_REQUIRE_BROWSER=1 (CI), where
a missing browser is an error. Screenshots go to P2K2_SCREENSHOT_DIR, else the test's tmp dir."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from simulator.server import Host, create_app
from simulator.simulation import Config

CHROMIUM = os.environ.get("P2K2_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing() -> str | None:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


@pytest.fixture(scope="session")
def browser_available() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("P2K2_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@dataclass
class Simulator:
    host: Host
    url: str


@pytest.fixture
async def simulator(tmp_path: Path) -> AsyncIterator[Simulator]:
    config = Config(
        database_path=tmp_path / "simulator.sqlite3",
        real_time=True,
        tick_every=0.25,
        env_file=None,
    )
    host = Host(config)
    await host.start()
    runner = web.AppRunner(create_app(host), access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    yield Simulator(host, f"http://127.0.0.1:{port}/")
    await runner.cleanup()
    await host.stop()


@pytest.fixture
async def browser(browser_available: None) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        await launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("P2K2_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
async def page(browser: Any, simulator: Simulator) -> AsyncIterator[Any]:
    context = await browser.new_context(
        viewport={"width": 1100, "height": 860}, accept_downloads=True
    )
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(simulator.url)
    await page.locator("#people .person").first.wait_for()
    yield page
    await context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"

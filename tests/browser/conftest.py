"""Playwright driving Debian's Chromium (installed by `make test`; Playwright downloads no browser)."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API keeps an event loop on this thread; Django's ORM calls in the test body are
# still synchronous, so tell Django's async-safety check they are intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# One browser per test, started after the test database is set up and closed before it is torn down:
# while Playwright runs, its greenlets give Django's connection handler another context, in which the
# serialized database state that serialized_rollback restores cannot be found.
@pytest.fixture
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture(scope="session", autouse=True)
def _close_live_server_connections(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    """The live server answers Chromium's keep-alive connections in threads whose database connection
    outlives the browser; end those sessions before the test database is dropped."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def menu(page: Page, entry: str) -> None:
    """Opens the top menu's group that holds `entry` and follows it, as a clerk does."""
    nav = page.locator("nav.mainnav")
    link = nav.get_by_role("link", name=entry, exact=True).first
    if not link.is_visible():
        # a closed group's links are hidden, so not found by role: found by their text
        nav.locator("details.menu").filter(has=page.locator(f'a:text-is("{entry}")')).first.locator(
            "summary"
        ).click()
    link.click()

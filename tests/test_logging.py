"""The RedactToken filter keeps the bot token out of every log line, tracebacks included."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.logs import REDACTED, RedactToken, configure_logging
from storage import migrate
from storage.db import create_engine

TOKEN = "0:FAKE-secret-for-tests"
SECRET = TOKEN.split(":")[1]


@pytest.fixture
def output() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(TOKEN))
    logger = logging.getLogger("p2k2.test_logging")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def test_token_in_message_and_arguments_is_redacted(
    output: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = output
    logger.info("token is %s", TOKEN)
    logger.info(f"plain message with {TOKEN} inside")
    logger.info("secret half only: %s and a number %d", SECRET, 5)
    logger.info("nothing to hide: %s", "hello")
    text = stream.getvalue()
    assert TOKEN not in text and SECRET not in text
    assert text.count(REDACTED) == 3
    assert "secret half only: <token> and a number 5" in text
    assert "nothing to hide: hello" in text


def test_httpx_style_request_urls_are_redacted(
    output: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = output
    url = httpx.URL(f"https://api.telegram.org/bot{TOKEN}/getUpdates")
    # The very format httpx uses for its "HTTP Request" lines.
    logger.info('HTTP Request: %s %s "%s %d %s"', "POST", url, "HTTP/1.1", 200, "OK")
    file_url = f"https://api.telegram.org/file/bot{TOKEN}/documents/file_1.csv"
    logger.warning("download failed: %r", file_url)
    text = stream.getvalue()
    assert SECRET not in text
    assert 'POST https://api.telegram.org/bot<token>/getUpdates "HTTP/1.1 200 OK"' in text
    assert "file/bot<token>/documents" in text


def test_tracebacks_keep_their_lines_without_the_token(
    output: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = output
    try:
        raise httpx.ConnectError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe")
    except httpx.ConnectError:
        logger.exception("network problem")
    try:
        raise ValueError("an ordinary error")
    except ValueError:
        logger.error("ordinary", exc_info=True)
    text = stream.getvalue()
    assert SECRET not in text
    assert "Traceback (most recent call last)" in text
    assert "httpx.ConnectError: cannot reach https://api.telegram.org/bot<token>/getMe" in text
    assert "ValueError: an ordinary error" in text


def test_configure_logging_installs_the_filter_on_the_root_handler(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        configure_logging("info", TOKEN)
        logging.getLogger("telegram.ext.Updater").info("polling %s", TOKEN)
        logging.getLogger("httpx").info("hidden below WARNING %s", TOKEN)
        err = capsys.readouterr().err
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        logging.getLogger("httpx").setLevel(logging.NOTSET)
        logging.getLogger("apscheduler").setLevel(logging.NOTSET)
    assert "polling <token>" in err
    assert SECRET not in err
    assert "hidden below WARNING" not in err


async def test_a_new_database_is_migrated_quietly_an_existing_one_says_what_was_applied(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`p2k2 run` on a new database prints no migration lines; an upgrade of an existing
    database logs each migration applied."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        with caplog.at_level(logging.INFO):
            await migrate.upgrade(engine)
        assert not [r for r in caplog.records if r.name.startswith("alembic")]
    finally:
        await engine.dispose()

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        await migrate.upgrade(engine, "0011")
        caplog.clear()
        with caplog.at_level(logging.INFO):
            await migrate.upgrade(engine)
        applied = [r.getMessage() for r in caplog.records if "Running upgrade" in r.getMessage()]
        assert applied and all(r.levelno == logging.INFO for r in caplog.records)
    finally:
        await engine.dispose()

"""A missing or malformed setting stops the start with one clear line naming it; the token
is never printed; .env.example documents every setting and loads as the defaults."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from cli import main as cli
from config.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "0:FAKE-secret-for-tests"
ALIASES = [str(info.alias) for info in Settings.model_fields.values() if info.alias]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No setting from the machine or a stray .env leaks into these tests."""
    for name in ALIASES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/p2k2.sqlite3")
    return tmp_path


def run_fails(capsys: pytest.CaptureFixture[str]) -> str:
    """`p2k2 run` exits 2 before starting, with exactly one line on stderr."""
    assert cli.main(["run"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
    return lines[0]


def test_missing_token_stops_run_and_names_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    line = run_fails(capsys)
    assert line.startswith("p2k2: TELEGRAM_BOT_TOKEN is not set")
    # Nothing was started: not even the database file was created.
    assert not (tmp_path / "p2k2.sqlite3").exists()


def test_empty_token_counts_as_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "  ")
    assert "TELEGRAM_BOT_TOKEN is not set" in run_fails(capsys)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TELEGRAM_BOT_TOKEN", "FAKE-secret-without-a-bot-id", "from @BotFather"),
        ("TELEGRAM_BOT_TOKEN", "12345:", "from @BotFather"),
        ("P2K2_TIMEZONE", "Asia/Jakartaa", "unknown time zone"),
        ("P2K2_TIMEZONE", "WIB", "unknown time zone"),
        ("P2K2_REMINDER_OFFSETS", "3 hari, besok", "bad offset"),
        ("P2K2_REMINDER_OFFSETS", "3d,,2h", "empty item"),
        ("P2K2_REMINDER_OFFSETS", " ", "no offsets"),
        ("P2K2_ADMIN_IDS", "12345, Budi", "Telegram user ids"),
        ("P2K2_ADMIN_IDS", "1.5", "Telegram user ids"),
        ("P2K2_LANGUAGE", "jv", "id, en"),
        ("P2K2_INVITE_TTL_DAYS", "0", "greater than or equal to 1"),
        ("P2K2_INVITE_TTL_DAYS", "two weeks", "valid integer"),
        ("P2K2_WEBHOOK_PORT", "port", "valid integer"),
        ("P2K2_DISPATCH_INTERVAL", "-1", "greater than 0"),
        ("P2K2_LOG_LEVEL", "chatty", "DEBUG, INFO"),
        ("DATABASE_URL", "mysql://db/p2k2", "postgresql:// or sqlite://"),
        ("TELEGRAM_API_BASE_URL", "api.telegram.org/bot", "http(s)://"),
        ("P2K2_WEBHOOK_URL", "http://bot.example.org", "https://"),
    ],
)
def test_malformed_setting_stops_run_with_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    expected: str,
) -> None:
    if name != "TELEGRAM_BOT_TOKEN":
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv(name, value)
    line = run_fails(capsys)
    assert line.startswith(f"p2k2: {name} is malformed: "), line
    assert expected in line, line


def test_webhook_needs_a_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("P2K2_WEBHOOK_URL", "https://bot.example.org")
    line = run_fails(capsys)
    assert line.startswith("p2k2: P2K2_WEBHOOK_SECRET is not set")
    monkeypatch.setenv("P2K2_WEBHOOK_SECRET", "not allowed!")
    assert "P2K2_WEBHOOK_SECRET is malformed" in run_fails(capsys)


def test_settings_read_from_a_dot_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL")
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\n"
        "P2K2_ADMIN_IDS=111; 222 ,333\n"
        "P2K2_REMINDER_OFFSETS=2h,3d\n"
        "P2K2_TIMEZONE=Asia/Makassar\n"
        "P2K2_LOG_LEVEL=debug\n"
        "DATABASE_URL=postgres://u:p@localhost/p2k2\n",
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.token == TOKEN
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())
    assert settings.admin_ids == (111, 222, 333)
    assert settings.reminder_offsets == (timedelta(days=3), timedelta(hours=2))
    assert settings.timezone == "Asia/Makassar"
    assert settings.log_level == "DEBUG"
    assert settings.database_url == "postgresql+asyncpg://u:p@localhost/p2k2"


def test_the_environment_overrides_dot_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("P2K2_LANGUAGE=en\n", encoding="utf-8")
    monkeypatch.setenv("P2K2_LANGUAGE", "id")
    assert load_settings().language == "id"


def test_settings_error_never_shows_the_value() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=None, TELEGRAM_BOT_TOKEN="no-colon-" + TOKEN)
    assert TOKEN not in str(raised.value)
    assert TOKEN.split(":")[1] not in str(raised.value)


def test_env_example_documents_every_setting_with_safe_defaults() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    lines = example.splitlines()
    documented = {}
    for index, line in enumerate(lines):
        match = re.match(r"^([A-Z0-9_]+)=(.*)$", line)
        if match:
            documented[match.group(1)] = match.group(2)
            assert lines[index - 1].startswith("# "), f"{match.group(1)} has no comment line"
    assert sorted(documented) == sorted(ALIASES)
    assert documented["TELEGRAM_BOT_TOKEN"] == ""
    # Loading it gives exactly the defaults.
    assert load_settings(env_file=ROOT / ".env.example") == Settings(_env_file=None)  # type: ignore[call-arg]

"""A section's stamp says "with uncommitted changes" for changed code, not for the run's outputs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from benchmarks import provenance


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout with a bit of the bot and a results file, all committed."""
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "app.py").write_text("RATE = 30\n")
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "RESULTS.md").write_text("# results\n")
    (tmp_path / "benchmarks" / "capacity_load.png").write_bytes(b"png")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "start")
    monkeypatch.setattr(provenance, "ROOT", tmp_path)
    return tmp_path


def test_the_run_s_own_outputs_do_not_make_the_code_dirty(repo: Path) -> None:
    (repo / "benchmarks" / "RESULTS.md").write_text("# results\n\nrewritten by a run\n")
    (repo / "benchmarks" / "capacity_load.png").write_bytes(b"another chart")
    commit = provenance.head()
    assert commit is not None and not commit.dirty
    assert "with uncommitted changes" not in provenance.stamp(commit, "now")


@pytest.mark.parametrize("path", ["bot/app.py", "benchmarks/presses.py"])
def test_changed_code_makes_the_stamp_say_so(repo: Path, path: str) -> None:
    (repo / path).write_text("RATE = 31\n")
    _git(repo, "add", "-N", path)  # a new file counts once git knows of it
    commit = provenance.head()
    assert commit is not None and commit.dirty
    assert "with uncommitted changes" in provenance.stamp(commit, "now")

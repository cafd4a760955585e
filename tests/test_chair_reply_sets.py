"""The set the chairs' reader was developed on holds no copy of an example the tests pin down.

A reply the reader was tested on measures nothing when it is scored again. This file's own
strings are left out of the examples (its examples below are about the comparison itself).
The sealed set is not checked here: it was written by someone who never saw the tests, and
a few of its short replies match a test's wording by chance; the benchmark reports its
figure with and without them, and a failure here would print sealed replies."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import chair_replies
from benchmarks.duplicates import examples_in_tests, near_duplicates, normalised

THIS = Path(__file__)


# Loaded by the test that needs it, not while every worker collects the tests.
SETS = {"development": chair_replies.load_development}


@pytest.mark.parametrize("name", SETS)
def test_no_reply_in_an_evaluation_set_copies_a_test_example(name: str) -> None:
    texts = ["\n---\n".join(item.messages) for item in SETS[name]()]
    examples = examples_in_tests(skip=[THIS])
    assert len(examples) > 500  # the tests' strings were found
    found = near_duplicates(texts, examples)
    assert not found, f"{name}: " + "; ".join(f"{a!r} ~ {b!r} ({s:.0f})" for a, b, s in found)


def test_a_near_copy_is_found() -> None:
    found = near_duplicates(["✅ Udah Bu!! yg hadir 31 orang 🙏"], ["udah bu yg hadir 7 orang"])
    assert [score >= 90 for _, _, score in found] == [True]


def test_a_different_reply_is_not_a_copy() -> None:
    assert not near_duplicates(["belum bu, diundur ke kamis"], ["udah bu yg hadir 7 orang"])


def test_numbers_alone_are_compared_as_written() -> None:
    assert normalised("15") == "15" and normalised("hadir 15, izin 2") == "hadir 0 izin 0"
    assert not near_duplicates(["15"], ["12"])

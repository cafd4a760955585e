"""Month words in /laporan and /ekspor."""

from __future__ import annotations

import pytest

from language.months import month_number, read_month

NOVEMBER_2026 = 202611


@pytest.mark.parametrize(
    ("words", "found"),
    [
        (["desember", "2026"], (202612, 2)),
        (["Des"], (202512, 1)),  # the latest December that has begun
        (["nov"], (202611, 1)),
        (["Agt", "26"], (202608, 2)),
        (["august", "2025"], (202508, 2)),
        (["januari", "MAWAR1"], (202601, 1)),
        (["MAWAR1"], None),
        ([], None),
    ],
)
def test_month_words(words: list[str], found: tuple[int, int] | None) -> None:
    assert read_month(words, NOVEMBER_2026) == found


def test_every_month_has_indonesian_and_english_names() -> None:
    indonesian = (
        "januari februari maret april mei juni juli agustus september oktober november desember"
    )
    english = (
        "january february march april may june july august september october november december"
    )
    for names in (indonesian, english):
        assert [month_number(n) for n in names.split()] == list(range(1, 13))

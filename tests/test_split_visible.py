"""Long texts are split by the length Telegram checks: visible characters in UTF-16 units."""

from __future__ import annotations

import html

from views.split import LIMIT, split_html, visible_length


def test_visible_length_counts_entities_once_tags_never_and_emoji_twice() -> None:
    assert visible_length("<b>a &amp; b</b>") == 5
    assert visible_length("&lt;x&gt;") == 3
    assert visible_length("😀") == 2
    assert visible_length("plain") == 5


def test_escaped_text_is_not_split_before_telegram_would() -> None:
    text = html.escape("<&>" * 1300, quote=False)  # 3,900 visible, 14,300 in HTML
    assert len(text) > LIMIT
    assert split_html(text) == (text,)


def test_emoji_count_twice_so_no_part_passes_the_limit() -> None:
    text = " ".join(["😀" * 10] * 400)  # 4,399 characters, 8,399 UTF-16 units
    parts = split_html(text)
    assert len(parts) == 3
    assert all(visible_length(part) <= LIMIT for part in parts)
    assert " ".join(parts).split() == text.split()


def test_a_long_word_is_cut_between_entities_and_emoji() -> None:
    word = "&amp;😀" * 2000
    parts = split_html(word)
    assert "".join(parts) == word
    for part in parts:
        assert visible_length(part) <= LIMIT
        assert part.endswith(("&amp;", "😀")) and part.startswith(("&amp;", "😀"))

"""Japanese line breaking, measured in characters."""

import pytest

from dxreport.typeset.kinsoku import break_lines

from pdfcheck import CANNOT_END, CANNOT_START


def by_chars(text, width):
    return break_lines(text, lambda s: float(len(s)), width)


def test_closing_marks_never_start_a_line():
    for n in range(1, 12):
        text = "あ" * n + "かき」。く、け！？こ）』さ】〕し〉》す・せ：そ；時々" * 3
        for line in by_chars(text, 8)[1:]:
            assert line[0] not in CANNOT_START, (n, line)


def test_opening_marks_never_end_a_line():
    for n in range(1, 12):
        text = ("い" * n + "「う『え【お（か〔き〈く《け") * 2 + "う" * 20
        lines = by_chars(text, 8)
        for line in lines[:-1]:
            assert line[-1] not in CANNOT_END, (n, lines)
        assert "".join(lines) == text


def test_latin_words_and_numbers_stay_whole():
    lines = by_chars("目標値は87,974,100枚です", 12)
    assert any("87,974,100" in line for line in lines)


def test_overlong_word_is_split_rather_than_overflowing():
    url = "https://www.example.jp/" + "a" * 40
    lines = by_chars(url, 20)
    assert "".join(lines) == url
    assert all(len(line) <= 20 for line in lines)


def test_explicit_newlines_and_first_line_indent_are_kept():
    assert by_chars("\u3000本文\n次の行", 10) == ["\u3000本文", "次の行"]


@pytest.mark.parametrize("width", [1, 2, 3])
def test_tiny_widths_terminate(width):
    text = "「あ」、「い」。" * 5
    assert "".join(by_chars(text, width)) == text

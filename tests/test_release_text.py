"""The Aomori pack's running text is the release's (issue 15, items 1 and 6).

Every sentence and heading of the release (shared/seeds/) is printed in the PDF,
the Word draft and the web pages; every sentence of the pack's own wording and
running text is one the release has. The only differences allowed are the ones
the dataset explains, each with a comment in the data file."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest import AOMORI

# The release of 令和8年2月4日 as text (shared/seeds/ of the workplace), kept with the tests.
SEED = Path(__file__).parent / "seed" / "aomori-2026-02-04.txt"

# Release sentence → the pack's, and the comment in the data that explains it.
EXPLAINED = {
    "この度、2025年12月末時点の数値を更新したので、報道方よりしくお願いします。": (
        "この度、2025年12月末時点の数値を更新したので、報道方よろしくお願いします。",
        AOMORI / "periods" / "2025-12.yaml", "typo for よろしく, corrected"),
}

# Sentences of the pack the release does not print, and the data's comment that says why.
ADDED = {
    "前年度比 +5.7ポイント（公表値）": (AOMORI / "periods" / "2025-12.yaml", "so only the change is recorded"),
}

# The release's headings, numbered as there (its page titles included).
HEADINGS = [
    "1 DX推進プランの成果指標及び更新時期",
    "1 青森県DX推進プランの成果指標（1）基本目標及びKPI",
    "2 基本目標のデータ更新",
    "2 青森県DX推進プラン 基本目標の進捗状況",
    "3 ダッシュボードのデータ更新",
    "DX推進プラン 目標達成状況ダッシュボード(産業・しごと分野) 2025年12月末時点",
    "DX推進プラン 目標達成状況ダッシュボード(暮らし・まち分野) 2025年12月末時点",
    "DX推進プラン 目標達成状況ダッシュボード(行政経営分野) 2025年12月末時点",
    "代表的な事例(2025年12月末まで)",
    "資料編",
    "基本目標",
    "重要業績評価指標(KPI)",
]


def squash(text: str) -> str:
    """Spaces and the width of characters do not count (the release's text was
    extracted from its PDF, with spaces where its table cells wrapped)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def release_sentences() -> list[str]:
    text = re.sub(r"<[^>]+>", " ", SEED.read_text(encoding="utf-8"))
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip().lstrip("-・ ").strip()
        out += [s.lstrip("・") for s in (squash(x) for x in re.findall(r"[^。]*。", line)) if len(s) > 3]
    return list(dict.fromkeys(out))


@pytest.fixture(scope="module")
def outputs(aomori_pdf: Path) -> dict[str, str]:
    import pdfplumber
    from bs4 import BeautifulSoup
    from lxml import etree

    folder = aomori_pdf.parent
    with pdfplumber.open(aomori_pdf) as pdf:
        pdf_text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    with zipfile.ZipFile(folder / "dxreport-2025-12.docx") as z:
        root = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    # What Word shows: text, not the deletions of its tracked changes.
    docx_text = "\n".join("".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p"))
    html_text = "\n".join(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text("\n")
                          for p in sorted((folder / "html").glob("*.html")))
    return {"PDF": pdf_text, "Word": docx_text, "web": html_text}


def test_every_release_sentence_is_in_every_format(outputs: dict[str, str]) -> None:
    sentences = release_sentences()
    assert len(sentences) >= 25  # the test reads the release, not an empty file
    from conftest import prepared

    # The web pages are the dashboards': the notice to the press is in its PDF and its draft only.
    notice = {squash(x) for x in prepared(AOMORI).job.pack.notice.body} | {squash(p) for p, _, _ in EXPLAINED.values()}
    for fmt, text in outputs.items():
        have = squash(text)
        if fmt == "web":
            sentences = [s for s in sentences if s not in notice and not (s in EXPLAINED and squash(EXPLAINED[s][0]) in notice)]
        differ = [s for s in sentences if s not in have and not (s in EXPLAINED and squash(EXPLAINED[s][0]) in have)]
        assert not differ, f"{fmt}: sentences of the release the pack does not print:\n" + "\n".join(differ)


def test_every_difference_is_explained_in_the_data(outputs: dict[str, str]) -> None:
    for release, (pack, data_file, comment) in [*EXPLAINED.items(), *((a, (a, *why)) for a, why in ADDED.items())]:
        if release != pack:
            assert squash(release) not in squash(outputs["PDF"])
        assert squash(pack) in squash(outputs["PDF"])
        assert comment in data_file.read_text(encoding="utf-8"), f"{data_file.name} must say why: {comment}"


def _wording_sentences() -> list[str]:
    """Every sentence of the pack's running text as the model holds it."""
    from conftest import prepared

    pack = prepared(AOMORI).job.pack
    f, b = pack.framework, pack.basic_targets
    texts = [*pack.notice.body, f.basic_intro, f.kpi_intro, *f.rules, f.rhythm, *b.bullets]
    texts += [x for p in b.panels for x in p.notes]
    texts += [x for d in pack.dashboards for c in d.cases for x in c.bullets]
    out: list[str] = []
    for t in texts:
        out += [squash(s) for s in re.findall(r"[^。]*。?", t) if len(squash(s)) > 3]
    return out


def test_the_pack_adds_no_sentence_the_release_does_not_have() -> None:
    release = squash(SEED.read_text(encoding="utf-8"))
    allowed = {squash(p) for p, _, _ in EXPLAINED.values()} | {squash(a) for a in ADDED}
    sentences = _wording_sentences()
    assert len(sentences) >= 30
    extra = [s for s in sentences if s not in release and s not in allowed]
    assert not extra, "sentences the release does not have:\n" + "\n".join(extra)


@pytest.mark.parametrize("fmt", ["PDF", "Word", "web"])
def test_every_heading_of_the_release_is_printed_numbered(outputs: dict[str, str], fmt: str) -> None:
    lines = {squash(line) for line in outputs[fmt].splitlines()}
    missing = [h for h in HEADINGS if squash(h) not in lines]
    assert not missing, f"{fmt} lacks the headings {missing}"

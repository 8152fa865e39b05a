"""Review comments: the draft .docx carries the check's findings as Word comments
anchored on the figure or text; ``build --final`` leaves them out."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import AOMORI, SAMPLE, prepared, render_format, run
from dxreport.proofread import check
from dxreport.source import dataset
from dxreport.model.assemble import review_text
from dxreport.render import docx_review as review

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def anchored(docx: Path, date: str = "2026-02-04") -> list[tuple[str, str]]:
    """(comment text, the document text its range covers), in the comments' order."""
    with zipfile.ZipFile(docx) as z:
        names = z.namelist()
        doc = etree.fromstring(z.read("word/document.xml"))
        comments = etree.fromstring(z.read("word/comments.xml")) if "word/comments.xml" in names else None
    texts: dict[str, str] = {}
    open_ids: set[str] = set()
    for el in doc.iter():
        if el.tag == W + "commentRangeStart":
            open_ids.add(el.get(W + "id"))
            texts[el.get(W + "id")] = ""
        elif el.tag == W + "commentRangeEnd":
            open_ids.discard(el.get(W + "id"))
        elif el.tag == W + "t":
            for i in open_ids:
                texts[i] += el.text or ""
    out = []
    if comments is not None:
        for c in comments.iter(W + "comment"):
            body = "".join(t.text or "" for t in c.iter(W + "t"))
            out.append((body, texts.get(c.get(W + "id"), "")))
            assert c.get(W + "author") == review.author()
            assert c.get(W + "date", "").startswith(date)  # the pack's date, never the clock
    return out


@pytest.fixture(scope="module")
def aomori_builds(tmp_path_factory, aomori_complete):
    base = tmp_path_factory.mktemp("review")
    draft, final = base / "draft", base / "final"
    # The final copy of the data with its gap filled: the shipped data's is refused.
    for source, out, extra in ((AOMORI, draft, []), (aomori_complete, final, ["--final"])):
        result = run("build", str(source), "--out", str(out), *extra)
        assert result.returncode == 0, result.stderr
    return draft / "dxreport-2025-12.docx", final / "dxreport-2025-12.docx"


def test_draft_carries_every_finding_as_a_comment_on_its_figure(aomori_builds):
    draft, _ = aomori_builds
    ds, period = dataset.load(str(AOMORI))
    findings = check.run(ds, period)
    got = anchored(draft)
    assert len(got) == len(findings) > 0
    # One comment per finding, in the check's order, each written for a proofreader.
    assert [c for c, _a in got] == [review_text(f) for f in findings]
    by_subject = {f.subject: a for f, (_c, a) in zip(findings, got)}
    # The unchanged figure: on the value cell of its appendix row.
    assert by_subject["県内企業のデジタル化・DX支援件数(DX総合窓口への相談件数) [consult-count]"] == "218件(R5～R6の累計)"
    # A rate jump: on the rate cell; a KPI jump: on the KPI's figure.
    assert by_subject["首都圏デジタル人材との交流会参加者数 [talent-exchange]"] == "84.9%"
    assert by_subject["KPI DXによる住民サービス向上の達成状況 [admin-1]"].startswith("63.6%")
    # A name spelled two ways: on the text holding the rarer spelling.
    assert "基本研修時" in by_subject["基本研修時 / 基礎研修時"]


def test_final_has_no_comments(aomori_builds):
    _, final = aomori_builds
    with zipfile.ZipFile(final) as z:
        assert "word/comments.xml" not in z.namelist()
        xml = z.read("word/document.xml").decode()
    assert "commentRangeStart" not in xml and "commentReference" not in xml


def test_comments_are_deterministic(aomori_builds, aomori_complete):
    """The draft made again, in this process, is the built draft byte for byte,
    and the comments are what it has beyond the final copy."""
    draft, final = aomori_builds
    p, f = prepared(AOMORI), prepared(aomori_complete, final=True)
    assert p.job.pack.review and not f.job.pack.review
    again = render_format("docx", p.job.pack, stem=p.job.stem)[f"{p.job.stem}.docx"]
    assert again == render_format("docx", p.job.pack, stem=p.job.stem)[f"{p.job.stem}.docx"] == draft.read_bytes()
    assert render_format("docx", f.job.pack, stem=f.job.stem)[f"{f.job.stem}.docx"] == final.read_bytes()
    assert len(anchored(draft)) == len(p.job.pack.review)


def test_text_finding_is_anchored_on_its_text(dataset_copy, tmp_path: Path):
    root = dataset_copy(SAMPLE)
    period = root / "periods" / "2026-03.yaml"
    text = period.read_text(encoding="utf-8")
    ds, chosen = dataset.load(str(root))
    bullet = ds.period(chosen).cases["industry"][0].bullets[0]
    assert bullet.endswith("。") and text.count(bullet) == 1
    period.write_text(text.replace(bullet, bullet + "。"), encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", str(root), "--out", str(out), "-v")
    assert result.returncode == 0, result.stderr
    assert "doubled punctuation 。。" in result.stderr
    got = anchored(out / "dxreport-2026-03.docx", ds.period(chosen).notice.date.isoformat())
    hits = [a for c, a in got if "punctuation is doubled" in c]
    assert hits == [bullet + "。"]

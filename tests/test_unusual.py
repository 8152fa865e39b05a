"""Unusual but valid datasets render completely (issue 8): long texts flow onto
further pages, big tables split, more tiles and fields than the shipped data
have; every string is printed, nothing is drawn off the page, no kinsoku breaks."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest


from conftest import SAMPLE, build_pack, edit_yaml
from pdfcheck import kinsoku_violations, page_texts, squash, text_outside_page
from test_pdf import shown_strings

PERIOD = "2026-03"
PERIOD_FILES = ("2025-03", "2025-09", "2026-03")
_FOOTER = re.compile(r"^\s*-\s*\d+\s*-\s*$", re.M)


# ---------------------------------------------------------------- reading a pack back


def pdf_text(path: Path) -> str:
    """The PDF's text in reading order, page numbers left out, without spaces."""
    return squash("".join(_FOOTER.sub("", t) for t in page_texts(path)))


def docx_text(path: Path) -> str:
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(str(path)).element.body
    return squash("".join(t.text or "" for t in body.iter(qn("w:t"))))


def html_text(folder: Path) -> str:
    from bs4 import BeautifulSoup

    return squash("".join(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text("")
                          for p in sorted(folder.glob("*.html"))))


def present(needle: str, text: str, pieces: int = 1) -> bool:
    """``needle`` (without spaces) is in ``text``, in order, in at most ``pieces`` runs:
    a text split at a page break is interrupted by what is drawn before it on the next
    page (a table's repeated header, the other cells of a row split across pages)."""
    needle = squash(needle)
    if needle in text:
        return True
    failed: set[tuple[int, int]] = set()

    def rest(start: int, pos: int, left: int) -> bool:
        # needle[start:] in at most ``left`` runs of text[pos:]
        if start == len(needle):
            return True
        if left == 0 or (start, pos) in failed:
            return False
        if text.find(needle[start:], pos) >= 0:
            return True
        head = needle[start:start + 16]
        if text.find(head, pos) < 0:  # a short run (one line on a page)
            head = head[:1]
        at = text.find(head, pos)
        while at >= 0:
            n = 0
            while start + n < len(needle) and at + n < len(text) and text[at + n] == needle[start + n]:
                n += 1
            if rest(start + n, at + n, left - 1):
                return True
            at = text.find(head, at + 1)
        failed.add((start, pos))
        return False

    return pieces > 1 and rest(0, 0, pieces)


def notice_only(root: Path) -> set[str]:
    """Strings only the press notice prints (the PDF's and Word's cover), not the web pages."""
    from dxreport.source import dataset

    ds, chosen = dataset.load(str(root), PERIOD)
    n = ds.period(chosen).notice
    return {*n.body, n.url} - {""}


def missing_strings(root: Path, out: Path, strings: list[str] | None = None) -> dict[str, list[str]]:
    """For each output, the dataset strings it does not print."""
    strings = shown_strings(root) if strings is None else strings
    web_skips = notice_only(root)
    pdf = out / f"dxreport-{PERIOD}.pdf"
    pages = len(page_texts(pdf))
    texts = {"pdf": pdf_text(pdf), "docx": docx_text(out / f"dxreport-{PERIOD}.docx"), "html": html_text(out / "html")}
    # Only the PDF paginates; a long text may be interrupted once per page it runs onto.
    allowed = {"pdf": pages, "docx": 1, "html": 1}
    return {fmt: [s[:80] for s in strings
                  if squash(s) and not (fmt == "html" and s in web_skips) and not present(s, text, allowed[fmt])]
            for fmt, text in texts.items()}


def build(root: Path, out: Path) -> Path:
    build_pack(str(root), PERIOD, out)
    return out


def check_complete(root: Path, out: Path) -> None:
    missing = missing_strings(root, out)
    assert not any(missing.values()), missing
    pdf = out / f"dxreport-{PERIOD}.pdf"
    assert not text_outside_page(pdf)
    assert not kinsoku_violations(pdf)


# ---------------------------------------------------------------- changing the sample


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    dest = tmp_path / "sample"
    shutil.copytree(SAMPLE, dest)
    return dest


def each_period(root: Path, change) -> None:
    for name in PERIOD_FILES:
        edit_yaml(root / "periods" / f"{name}.yaml", change)


def clone_kpi(kpi, suffix: str):
    """A copy of a KPI with fresh ids (and names, so every string is told apart)."""
    new = copy.deepcopy(kpi)
    new["id"] = f"{kpi['id']}-{suffix}"
    new["name"] = f"{kpi['name']}（{suffix}）"
    for ind in new["indicators"]:
        ind["id"] = f"{ind['id']}-{suffix}"
        ind["name"] = f"{ind['name']}（{suffix}）"
    return new


def add_values(root: Path, pairs: list[tuple[str, str]]) -> None:
    """Give each new indicator id the values of the indicator it was cloned from."""

    def change(d):
        for new, old in pairs:
            d["values"][new] = copy.deepcopy(d["values"][old])

    each_period(root, change)


CASE_SENTENCE = "県内の事業者を対象に、クラウドサービスやIoT機器の導入を支援し、業務の効率化と新たなサービスの創出につなげた。"


# ---------------------------------------------------------------- the catalogue


def test_ten_case_studies_in_a_field(sample, tmp_path):
    def change(d):
        d["cases"]["industry"] = [
            {"title": f"事例{n}：サンプル市の事業者がデジタル技術で業務を改善（その{n}）",
             "bullets": [f"{CASE_SENTENCE}（事例{n}の{b}）" for b in range(1, 4)]}
            for n in range(1, 11)
        ]

    edit_yaml(sample / "periods" / f"{PERIOD}.yaml", change)
    check_complete(sample, build(sample, tmp_path / "out"))


def test_a_2000_character_case_text(sample, tmp_path):
    long = (CASE_SENTENCE * 60)[:2000]
    assert len(long) == 2000

    def change(d):
        d["cases"]["industry"][0]["bullets"][1] = long
        d["cases"]["living"][0]["bullets"][0] = long  # beside a photo
        d["cases"]["admin"][0]["box"]["lines"][0] = long[:600]  # in the boxed details

    edit_yaml(sample / "periods" / f"{PERIOD}.yaml", change)
    check_complete(sample, build(sample, tmp_path / "out"))


def test_a_120_character_indicator_name(sample, tmp_path):
    name = ("県内の中小企業者のうち、クラウド型の会計・受発注・勤怠管理システムのいずれかを導入し、"
            "その活用により業務時間の削減又は売上の増加につながったと回答した事業者の割合（R4年度の値との比較による増加分）")
    name = (name * 2)[:120]

    def change(d):
        d["fields"][0]["kpis"][0]["indicators"][1]["name"] = name

    edit_yaml(sample / "plan.yaml", change)
    check_complete(sample, build(sample, tmp_path / "out"))


def test_a_kpi_with_one_indicator(sample, tmp_path):
    dropped = ["rice-labour", "tourism-sns", "fan-platform", "cashless-merchants"]

    def plan(d):
        kpi = d["fields"][0]["kpis"][1]
        kpi["indicators"] = [i for i in kpi["indicators"] if i["id"] not in dropped]
        assert len(kpi["indicators"]) == 1

    def period(d):
        for i in dropped:
            d["values"].pop(i, None)

    edit_yaml(sample / "plan.yaml", plan)
    each_period(sample, period)
    check_complete(sample, build(sample, tmp_path / "out"))


def test_a_field_with_six_kpis(sample, tmp_path):
    pairs = []

    def plan(d):
        kpis = d["fields"][0]["kpis"]
        for n, kpi in enumerate(list(kpis), start=1):
            new = clone_kpi(kpi, f"x{n}")
            kpis.append(new)
            pairs.extend((a["id"], b["id"]) for a, b in zip(new["indicators"], kpi["indicators"]))
        assert len(kpis) == 6

    edit_yaml(sample / "plan.yaml", plan)
    add_values(sample, pairs)
    out = build(sample, tmp_path / "out")
    check_complete(sample, out)
    # All six tiles on the field's dashboard page, two rows of three.
    from dxreport.source import dataset

    ds, _ = dataset.load(str(sample), PERIOD)
    labels = [k.label or k.name for k in ds.plan.fields[0].kpis]
    page = next(squash(t) for t in page_texts(out / f"dxreport-{PERIOD}.pdf") if "ダッシュボード（産業分野）" in t)
    assert all(squash(x) in page for x in labels), labels


def test_a_plan_with_five_fields(sample, tmp_path):
    pairs = []

    def plan(d):
        src = d["fields"][1]
        new = copy.deepcopy(src)
        new["id"], new["name"] = "tourism", "観光・交流"
        new["kpis"] = [clone_kpi(k, "t") for k in src["kpis"]]
        for a, b in zip(new["kpis"], src["kpis"]):
            pairs.extend((x["id"], y["id"]) for x, y in zip(a["indicators"], b["indicators"]))
        d["fields"].append(new)
        assert len(d["fields"]) == 5

    def cases(d):
        d["cases"]["tourism"] = [{"title": "観光アプリで周遊データを可視化", "bullets": ["周遊ルートの分析に活用した。"]}]

    edit_yaml(sample / "plan.yaml", plan)
    add_values(sample, pairs)
    edit_yaml(sample / "periods" / f"{PERIOD}.yaml", cases)
    check_complete(sample, build(sample, tmp_path / "out"))

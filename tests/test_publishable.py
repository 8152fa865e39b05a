"""The pack as the prefecture publishes it (issue 15): what is true about missing
data, the final copy's refusal of gaps, links, dates."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from conftest import AOMORI, SAMPLE, edit_yaml, pdf_text, prepared, run


def test_a_missing_value_is_not_entered_unless_the_data_says_why(aomori_pdf: Path, sample_pdf: Path) -> None:
    aomori = pdf_text(aomori_pdf)
    # Aomori's three panels without values: the data is silent, so 未入力 — never 未公表.
    assert "－：未入力" in aomori
    assert "未公表" not in aomori and "対象外" not in aomori and "データなし" not in aomori
    # The sample says why its gaps are gaps (absent: unpublished): 未公表, and no 未入力.
    sample = pdf_text(sample_pdf)
    assert "－：未公表" in sample and "※ －：未公表" in sample
    assert "未入力" not in sample


def test_not_applicable_when_the_data_says_so(dataset_copy, tmp_path: Path) -> None:
    root = dataset_copy(SAMPLE)

    def absent(data) -> None:
        data["basic_targets"]["convenience"]["absent"] = "not-applicable"

    edit_yaml(root / "periods" / "2026-03.yaml", absent)
    result = run("build", str(root), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "out" / "dxreport-2026-03.pdf")
    assert "－：対象外" in text


def test_final_refuses_the_gaps_the_release_would_not_have(dataset_copy, tmp_path: Path) -> None:
    root = dataset_copy(AOMORI)
    out = tmp_path / "out"
    (out).mkdir()
    result = run("build", str(root), "--final", "--out", str(out))
    assert result.returncode == 2
    # One line per gap, naming the file, the line and the field.
    assert "periods/2025-12.yaml:78: basic_targets.sme-share:" in result.stderr, result.stderr
    assert not any(out.iterdir())  # nothing written
    # The draft builds and lists the gap as a finding.
    draft = run("build", str(root), "--out", str(tmp_path / "draft"), "-v")
    assert draft.returncode == 0
    assert "basic_targets.sme-share" in draft.stdout + draft.stderr

    def no_url(data) -> None:
        del data["notice"]["url"]
        data["notice"]["updates"] = []

    edit_yaml(root / "periods" / "2025-12.yaml", no_url)
    result = run("build", str(root), "--final", "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.count("notice.url") == 1 and result.stderr.count("notice.updates") == 1


def test_links_in_pdf_and_word(aomori_pdf: Path) -> None:
    import pikepdf

    url = "https://www.pref.aomori.lg.jp/soshiki/seisaku/dxsuishin/dxdashboard.html"
    with pikepdf.open(aomori_pdf) as pdf:
        links = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    # The notice's address, and the plan's (plan.url) on section 1's page.
    assert links == [url, url]
    with zipfile.ZipFile(aomori_pdf.parent / "dxreport-2025-12.docx") as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
        xml = z.read("word/document.xml").decode()
    assert xml.count("<w:hyperlink ") == 2 and f'Target="{url}"' in rels
    html = (aomori_pdf.parent / "html" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{url}">' in html


def test_the_plan_url_is_printed_on_the_plans_page(aomori_pdf: Path) -> None:
    import pdfplumber

    with pdfplumber.open(aomori_pdf) as pdf:
        page = pdf.pages[3].extract_text()
    assert "成果指標（2）" in page and "https://www.pref.aomori.lg.jp/soshiki/seisaku/dxsuishin/dxdashboard.html" in page


def test_section_1_page_2_draws_the_plans_structure_from_the_data(aomori_pdf: Path) -> None:
    """Fields → KPIs → their intermediate indicators, counted here from the plan file,
    as selectable text in the PDF and as tables in the Word draft and on the web page."""
    import docx
    import pdfplumber
    from docx.oxml.ns import qn
    from bs4 import BeautifulSoup
    from ruamel.yaml import YAML

    plan = YAML(typ="safe").load((AOMORI / "plan.yaml").read_text(encoding="utf-8"))
    rows = [(f["name"] + "分野", k["name"], f"{len(k['indicators'])}指標") for f in plan["fields"] for k in f["kpis"]]
    total = sum(len(k["indicators"]) for f in plan["fields"] for k in f["kpis"])
    with pdfplumber.open(aomori_pdf) as pdf:
        page = pdf.pages[3]
        text = page.extract_text()
        tables = page.extract_tables()
    assert "1 青森県DX推進プランの成果指標（2）基本目標及びKPI" in text
    assert f"{len(plan['fields'])}分野 {len(rows)}項目のKPI／{total}の中間指標" in text
    table = next(t for t in tables if t and t[0] == ["分野", "KPI", "中間指標"])
    got = [(r[0] or "", r[1], r[2]) for r in table[1:]]
    assert [(k, n) for _f, k, n in got] == [(k, n) for _f, k, n in rows]
    assert [f for f, _k, _n in got if f] == list(dict.fromkeys(f for f, _k, _n in rows))
    word = docx.Document(str(aomori_pdf.parent / "dxreport-2025-12.docx"))
    def shown(cell) -> str:  # what Word shows, content controls included
        return "".join(t.text or "" for t in cell._tc.iter(qn("w:t")))

    wt = next(t for t in word.tables if [shown(c) for c in t.rows[0].cells] == ["分野", "KPI", "中間指標"])
    assert [tuple(shown(c) for c in r.cells) for r in wt.rows[1:]] == rows
    soup = BeautifulSoup((aomori_pdf.parent / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    web = soup.select("table.structure-table tbody tr")
    assert [(tr.find_all("th")[-1].get_text(), tr.td.get_text()) for tr in web] == [(k, n) for _f, k, n in rows]


def test_pdf_dates_are_the_notices(aomori_pdf: Path) -> None:
    import pikepdf

    with pikepdf.open(aomori_pdf) as pdf:
        info = pdf.docinfo
        assert str(info.CreationDate) == str(info.ModDate) == "D:20260204000000+09'00'"
        with pdf.open_metadata() as xmp:
            assert xmp.get("xmp:CreateDate") == xmp.get("xmp:ModifyDate") == "2026-02-04T00:00:00+09:00"


def _half_up(x, places: int = 1):
    from decimal import ROUND_HALF_UP, Decimal
    from fractions import Fraction

    # Exact: the fraction's digits to 40 places, far beyond any rounding edge here.
    x = Fraction(x)
    exact = Decimal(x.numerator * 10**40 // x.denominator).scaleb(-40)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def test_a_rate_that_does_not_follow_from_the_printed_value_is_footnoted(aomori_pdf: Path) -> None:
    """Computed here from the YAML with fractions: where the printed value ÷ the
    printed target gives another rate than the printed one, the rate's page says
    that it comes from the unrounded value; nowhere else."""
    from fractions import Fraction

    import pdfplumber
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    plan = yaml.load((AOMORI / "plan.yaml").read_text(encoding="utf-8"))
    periods = {p: yaml.load((AOMORI / "periods" / f"{p}.yaml").read_text(encoding="utf-8")) for p in ("2025-09", "2025-12")}

    def rate(v, t):
        return min(Fraction(100), max(Fraction(0), Fraction(str(v)) / Fraction(str(t)) * 100))

    expected = []
    for f in plan["fields"]:
        for k in f["kpis"]:
            for ind in k["indicators"]:
                d = ind.get("decimals", 0)
                for label, p in (("2025.9月末", "2025-09"), ("2025.12月末", "2025-12")):
                    v = periods[p]["values"][ind["id"]]["value"]
                    if v is None:
                        continue
                    shown = _half_up(Fraction(str(v)), d)
                    if _half_up(rate(v, ind["target"])) != _half_up(rate(shown, ind["target"])):
                        expected.append((ind["name"], label, str(v)))
    assert len(expected) == 6  # the six rates of the release that follow from the unrounded value
    with pdfplumber.open(aomori_pdf) as pdf:
        pages = [(p.extract_text() or "") for p in pdf.pages]
    notes = [(n, line) for n, text in enumerate(pages) for line in text.splitlines() if "四捨五入する前の値" in line]
    assert len(notes) == len(expected)
    for name, label, value in expected:
        page = next(n for n, line in notes if f"の{label}の達成率" in line and value in line)
        assert name.replace(" ", "")[:12] in pages[page].replace("\n", "").replace(" ", "")


def test_each_appendix_table_has_its_kpis_tile_and_updated_mark(aomori_pdf: Path) -> None:
    import pdfplumber
    from bs4 import BeautifulSoup

    from conftest import prepared

    pack = prepared(AOMORI).job.pack
    with pdfplumber.open(aomori_pdf) as pdf:
        pages = [(p.extract_text() or "").replace(" ", "") for p in pdf.pages]
    updated = 0
    for t, d_tile in zip(pack.appendix, [tile for d in pack.dashboards for tile in d.tiles]):
        assert t.tile == d_tile  # the same tile as on the dashboard
        page = next(p for p in pages if t.label.replace(" ", "") in p and t.title.replace(" ", "") in p)
        assert t.tile.rate in page and f"{t.tile.diff_label}{t.tile.diff}" in page and "【指標の構成要素】" in page
        assert ("※今回更新" in page) == bool(t.updated_label)
        updated += bool(t.updated_label)
    # Marked: the KPIs with a value or an as-of note that moved since 2025-09, read from the YAML
    # here (the release marks 県内企業のDXの推進状況); in this period every KPI moved.
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    plan = yaml.load((AOMORI / "plan.yaml").read_text(encoding="utf-8"))
    old, new = ((yaml.load((AOMORI / "periods" / f"{p}.yaml").read_text(encoding="utf-8")))["values"] for p in ("2025-09", "2025-12"))
    moved = [any(old[i["id"]] != new[i["id"]] and new[i["id"]].get("value") is not None for i in k["indicators"]) for f in plan["fields"] for k in f["kpis"]]
    assert [bool(t.updated_label) for t in pack.appendix] == moved and updated == sum(moved) > 0
    soup = BeautifulSoup((aomori_pdf.parent / "html" / "industry.html").read_text(encoding="utf-8"), "html.parser")
    section = soup.find(id=pack.appendix[0].id) or BeautifulSoup((aomori_pdf.parent / "html" / "index.html").read_text(encoding="utf-8"), "html.parser").find(id=pack.appendix[0].id)
    assert section is not None and "※今回更新" in section.get_text() and pack.appendix[0].tile.rate in section.get_text()


def test_every_changed_figure_is_marked_in_words_with_a_legend(aomori_pdf: Path) -> None:
    """The indicators whose value or as-of note moved since 2025-09 (read from the
    YAML here) carry 「前期から更新」 under their value, in the PDF, Word and web
    tables alike, with the legend on their page; the tiles of the KPIs that moved
    carry ※今回更新, with its legend on the dashboard."""
    import pdfplumber
    from bs4 import BeautifulSoup
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    plan = yaml.load((AOMORI / "plan.yaml").read_text(encoding="utf-8"))
    old, new = (yaml.load((AOMORI / "periods" / f"{p}.yaml").read_text(encoding="utf-8"))["values"] for p in ("2025-09", "2025-12"))
    kpis = [k for f in plan["fields"] for k in f["kpis"]]
    moved = {i["id"] for k in kpis for i in k["indicators"] if old[i["id"]] != new[i["id"]] and new[i["id"]].get("value") is not None}
    assert 0 < len(moved) < sum(len(k["indicators"]) for k in kpis)
    with pdfplumber.open(aomori_pdf) as pdf:
        pages = [(p.extract_text() or "") for p in pdf.pages]
    appendix = [p for p in pages if "中間指標" in p and "データの出所" in p]
    assert sum(p.count("前期から更新") - p.count("前期から更新：") for p in appendix) == len(moved)
    assert all(("前期から更新：2025.9月末から値又は時点が更新された中間指標" in p) == ("前期から更新\n" in p or p.count("前期から更新") > 1)
               for p in appendix)
    dashboards = [p for p in pages if "目標達成状況ダッシュボード（" in p]
    assert len(dashboards) == 3 and all("※今回更新：前期から値が更新されたKPI" in p for p in dashboards)
    assert sum(p.count("※今回更新") - 1 for p in dashboards) == sum(any(i["id"] in moved for i in k["indicators"]) for k in kpis)
    folder = aomori_pdf.parent
    with zipfile.ZipFile(folder / "dxreport-2025-12.docx") as z:
        xml = z.read("word/document.xml").decode()
    assert xml.count(">前期から更新<") == len(moved)
    html = "".join((folder / "html" / f"{name}.html").read_text(encoding="utf-8") for name in ("industry", "living", "admin"))
    marks = BeautifulSoup(html, "html.parser").select("td span.changed")
    assert [m.get_text() for m in marks] == ["前期から更新"] * len(moved)
    rows = {m.find_parent("tr")["id"] for m in marks}
    assert rows == moved


def test_a_basic_target_without_detail_shows_no_missing_mark_on_the_web(aomori_pdf: Path) -> None:
    """The web's 基本目標 table: a target with no detail text (the two 割合 rows) leaves its
    内容 cell blank, read as 該当なし; a visible － there would say a value was not
    entered. 更新頻度 never wraps (「5年に1/回」)."""
    from bs4 import BeautifulSoup

    pack = prepared(AOMORI).job.pack
    soup = BeautifulSoup((aomori_pdf.parent / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("table.basic-table tbody tr")
    assert len(rows) == len(pack.framework.basic_rows)
    blank = 0
    for tr, (_name, detail, freq, _src) in zip(rows, pack.framework.basic_rows):
        cells = tr.find_all("td")
        if detail:
            assert cells[0].get_text(strip=True) == detail
        else:
            blank += 1
            assert "－" not in cells[0].get_text() and cells[0].find(class_="visually-hidden").get_text() == "該当なし"
        assert "freq" in cells[1]["class"] and cells[1].get_text(strip=True) == freq
    assert blank == 2
    css = (aomori_pdf.parent / "html" / "style.css").read_text(encoding="utf-8")
    assert re.search(r"\.basic-table \.freq \{ white-space: nowrap; \}", css)


def test_the_plan_names_itself_by_its_own_kind(sample_pdf: Path, dataset_copy) -> None:
    """The release's 「本プランにおける」 is Aomori's plan naming itself: a 計画 says 本計画,
    and the data may say otherwise (this_name)."""
    assert prepared(AOMORI).job.pack.framework.basic_intro.startswith("本プランにおける2040年")
    assert prepared(SAMPLE).job.pack.framework.basic_intro.startswith("本計画における")
    assert "本計画における" in re.sub(r"\s+", "", pdf_text(sample_pdf)) and "本プラン" not in pdf_text(sample_pdf)
    root = dataset_copy(SAMPLE)

    def named(data) -> None:
        data["plan"]["this_name"] = "本推進計画"

    edit_yaml(root / "plan.yaml", named)
    assert prepared(root).job.pack.framework.basic_intro.startswith("本推進計画における")

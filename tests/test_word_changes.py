"""The Word draft's tracked changes since the previous period: 前期差, the basic
targets' figures and the case studies, read from the DOCX XML and compared with
what each period's own pack model (or YAML) prints; absorb leaves them alone."""

from __future__ import annotations

import hashlib
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from lxml import etree

from conftest import AOMORI, SAMPLE, build_pack, complete, edit_yaml, is_layout_break, prepared
from conftest import run as run_en

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AUTHOR = "前期（2025年9月末時点）との差分"


def run(*args: str) -> subprocess.CompletedProcess:
    return run_en("--lang", "ja", *args)


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def body(path: Path):
    return etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{W}body")


def _inside(node, tag: str) -> bool:
    return any(a.tag == f"{W}{tag}" for a in node.iterancestors())


def accepted(el) -> str:
    """The text with every tracked change accepted."""
    return "".join((n.text or "") if n.tag == f"{W}t" else "\n" for n in el.iter(f"{W}t", f"{W}br")
                   if not _inside(n, "del") and not is_layout_break(n))


def rejected(el) -> str:
    """The text with every tracked change rejected: the previous period's."""
    return "".join((n.text or "") if n.tag in (f"{W}t", f"{W}delText") else "\n"
                   for n in el.iter(f"{W}t", f"{W}delText", f"{W}br") if not _inside(n, "ins") and not is_layout_break(n))


def style(p) -> str:
    s = p.find(f"{W}pPr/{W}pStyle")
    return s.get(f"{W}val") if s is not None else ""


def mark(p) -> str | None:
    """How a paragraph's own mark is tracked: "ins", "del" or None."""
    rpr = p.find(f"{W}pPr/{W}rPr")
    for kind in ("ins", "del"):
        if rpr is not None and rpr.find(f"{W}{kind}") is not None:
            return kind
    return None


def control(root, tag: str):
    found = [s for s in root.iter(f"{W}sdt") if s.find(f"{W}sdtPr/{W}tag").get(f"{W}val") == tag]
    assert len(found) == 1, tag
    return found[0]


def change(sdt) -> tuple[str, str] | None:
    """(deleted, inserted) text of a control, or None when it holds no tracked change."""
    content = sdt.find(f"{W}sdtContent")
    dels, ins = content.findall(f"{W}del"), content.findall(f"{W}ins")
    if not dels and not ins:
        return None
    return ("".join(x.text for e in dels for x in e.iter(f"{W}delText")), "".join(x.text for e in ins for x in e.iter(f"{W}t")))


def revisions(root) -> list:
    return [e for e in root.iter(f"{W}ins", f"{W}del")]


def dashboards(root, pack) -> list[list]:
    """Each dashboard's case-study paragraphs (titles, bullets, box texts), in order."""
    headings = {d.heading for d in pack.dashboards}
    out: list[list] = []
    for p in root.iter(f"{W}p"):
        s = style(p)
        if s == "Heading2":
            if accepted(p) in headings:
                out.append([])
                continue
            if out:
                break
        if out and s in ("Heading4", "ListBullet", "BoxTitle", "BoxText"):
            out[-1].append(p)
    assert len(out) == len(pack.dashboards)
    return out


def shown(paragraphs, read, styles) -> list[str]:
    return [t for p in paragraphs if style(p) in styles and (t := read(p))]


def one_decimal(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def aomori_draft(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("aomori-draft")
    build_pack(AOMORI, out=out)
    return out / "dxreport-2025-12.docx"


@pytest.fixture(scope="module")
def sample_draft(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample-draft")
    build_pack(SAMPLE, out=out)
    return out / "dxreport-2026-03.docx"


# ---------------------------------------------------------------- Aomori, 2025-12 against 2025-09
def test_every_revision_is_the_previous_periods_with_its_date(aomori_draft, sample_draft):
    for draft, date in ((aomori_draft, "2026-02-04T00:00:00Z"), (sample_draft, None)):
        revs = revisions(body(draft))
        assert len(revs) > 100
        assert {e.get(f"{W}author") for e in revs} == {AUTHOR}
        if date:
            assert {e.get(f"{W}date") for e in revs} == {date}


def test_aomori_every_changed_zenkisa_is_the_previous_dash_deleted_and_the_new_inserted(aomori_draft):
    root = body(aomori_draft)
    pack = prepared(AOMORI).job.pack
    # 2025-09 is the dataset's first period: its own 前期差 were all －.
    assert sorted(p.stem for p in (AOMORI / "periods").glob("*.yaml")) == ["2025-09", "2025-12"]
    tiles = 0
    for d, dash in enumerate(pack.dashboards):
        for t, tile in enumerate(dash.tiles):
            assert tile.diff != "－"
            assert change(control(root, f"figure dashboards.{d}.tiles.{t}.diff")) == ("－", tile.diff)
            tiles += 1
    assert tiles == 8
    for a, table in enumerate(pack.appendix):
        # The previous period printed its KPI without a 前期差: the diff and its brackets are inserted,
        # and rejecting every change gives that period's own KPI row.
        diff = table.kpi_row.current.split("（")[1].rstrip("）")
        assert change(control(root, f"figure appendix.{a}.kpi_row.current+1")) == ("", diff)
        cell = control(root, f"figure appendix.{a}.kpi_row.current").getparent()
        assert accepted(cell) == table.kpi_row.current
        assert rejected(cell) == table.kpi_row.previous


def test_aomori_every_basic_target_figure_is_inserted_as_the_yaml_gives_it(aomori_draft):
    from ruamel.yaml import YAML

    root = body(aomori_draft)
    pack = prepared(AOMORI).job.pack
    now = YAML(typ="safe").load((AOMORI / "periods" / "2025-12.yaml").read_text(encoding="utf-8"))
    before = YAML(typ="safe").load((AOMORI / "periods" / "2025-09.yaml").read_text(encoding="utf-8"))
    assert not before.get("basic_targets")  # so every basic-target figure of 2025-12 is new
    # The figures, from the YAML: a stated change, and a yearly mean of fields with its change.
    expected: list[str] = []
    for key, bt in now["basic_targets"].items():
        if "stated_change" in bt:
            change_ = Decimal(str(bt["stated_change"]))
            expected += [f"{change_}ポイント", f"+{change_}ポイント"]  # the highlight bullet, the panel's note
        years = bt.get("years") or {}
        if years:
            latest = max(years)
            fields = [Decimal(str(v)) for v in years[latest]["fields"].values()]
            mean = one_decimal(sum(fields) / len(fields))
            rise = mean - Decimal(str(years[latest - 1]))
            expected += [f"{rise}ポイント", f"{mean}%", f"+{rise}ポイント", f"{mean}%"]
            expected += [f"{v:.1f}%" for v in fields]
    figures = [s for s in root.iter(f"{W}sdt")
               if s.find(f"{W}sdtPr/{W}tag").get(f"{W}val").startswith("figure basic_targets.")]
    got = [change(s) for s in figures]
    assert all(c is not None and c[0] == "" for c in got)  # inserted, nothing deleted
    assert sorted(c[1] for c in got) == sorted(expected)
    # Each new panel text is wholly inserted, its paragraph mark too.
    values = [p for p in root.iter(f"{W}p") if style(p) in ("PanelValue", "PanelNote") and accepted(p)]
    assert [accepted(p) for p in values] == [t for panel in pack.basic_targets.panels for t in ((panel.value_text,) if panel.value_text else ()) + panel.notes]
    assert all(rejected(p) == "" and mark(p) == "ins" for p in values)


def test_aomori_cases_are_all_new_since_2025_09_had_none(aomori_draft):
    root = body(aomori_draft)
    pack = prepared(AOMORI).job.pack
    for dash, paragraphs in zip(pack.dashboards, dashboards(root, pack)):
        assert shown(paragraphs, accepted, ("Heading4",)) == [c.title for c in dash.cases]
        assert shown(paragraphs, accepted, ("ListBullet",)) == [b for c in dash.cases for b in c.bullets]
        assert all(rejected(p) == "" and mark(p) == "ins" for p in paragraphs)


# ---------------------------------------------------------------- the sample, 2026-03 against 2025-09
def test_sample_rejecting_every_change_gives_the_previous_packs_figures_and_cases(sample_draft):
    root = body(sample_draft)
    new = prepared(SAMPLE, "2026-03").job.pack
    old = prepared(SAMPLE, "2025-09").job.pack
    changed = 0
    for d, (a, b) in enumerate(zip(old.dashboards, new.dashboards)):
        for t, (x, y) in enumerate(zip(a.tiles, b.tiles)):
            assert change(control(root, f"figure dashboards.{d}.tiles.{t}.diff")) == ((x.diff, y.diff) if x.diff != y.diff else None)
            changed += x.diff != y.diff
    assert changed >= 5
    for a, (x, y) in enumerate(zip(old.appendix, new.appendix)):
        cell = control(root, f"figure appendix.{a}.kpi_row.current").getparent()
        assert (rejected(cell), accepted(cell)) == (x.kpi_row.current, y.kpi_row.current)
    # The basic targets' value lines and notes, as each period printed them.
    values = [p for p in root.iter(f"{W}p") if style(p) == "PanelValue"]
    assert [accepted(p) for p in values] == [p.value_text for p in new.basic_targets.panels if p.value_text]
    assert [rejected(p) for p in values] == [p.value_text for p in old.basic_targets.panels if p.value_text]
    assert any(rejected(p) != accepted(p) for p in values)
    notes = [p for p in root.iter(f"{W}p") if style(p) == "PanelNote"]
    assert [accepted(p) for p in notes] == [n for p in new.basic_targets.panels for n in p.notes]
    assert [rejected(p) for p in notes] == [n for p in old.basic_targets.panels for n in p.notes]
    # Every dashboard's case studies: accepting gives this period's, rejecting the previous period's.
    for a, b, paragraphs in zip(old.dashboards, new.dashboards, dashboards(root, new)):
        for read, pack_dash in ((accepted, b), (rejected, a)):
            assert shown(paragraphs, read, ("Heading4",)) == [c.title for c in pack_dash.cases]
            assert shown(paragraphs, read, ("ListBullet",)) == [x for c in pack_dash.cases for x in c.bullets]
            assert shown(paragraphs, read, ("BoxTitle", "BoxText")) == [x for c in pack_dash.cases for x in (c.box_title, *c.box_lines) if x]
    # A retitled case (「…10万人を突破」 → 「…12万人を突破」) is one case changed: its title deleted and inserted in one control.
    title = change(control(root, "periods/2026-03.yaml cases.industry.1.title"))
    assert title == ("県観光公式SNSのフォロワーが10万人を突破", "県観光公式SNSのフォロワーが12万人を突破")


# ---------------------------------------------------------------- a changed bullet, an added and a removed case
REMOVED = {"title": "県がデジタル人材育成の連携協定を締結", "bullets": ["県は県内の大学と、デジタル人材の育成に関する協定を締結。"],
           "box": {"title": "【協定の概要】", "lines": ["締結日 : 2025年8月1日"]}}
REMOVED_PHOTO_ALT = "協定締結式の写真"


@pytest.fixture
def changed(dataset_copy, tmp_path):
    """An Aomori copy whose 2025-09 has case studies: the first of 2025-12 with its second
    bullet worded otherwise, and one that 2025-12 no longer has."""
    from ruamel.yaml import YAML

    root = dataset_copy(AOMORI)
    yaml = YAML()
    now = yaml.load((root / "periods" / "2025-12.yaml").read_text(encoding="utf-8"))
    first = now["cases"]["industry"][0]
    old_first = {"title": first["title"], "bullets": [first["bullets"][0], "データに基づく配送計画により、コストを削減。"]}
    with (root / "periods" / "2025-09.yaml").open("a", encoding="utf-8") as fh:
        yaml.dump({"cases": {"industry": [old_first, REMOVED]}}, fh)
    out = tmp_path / "out"
    build_pack(root, out=out)
    return root, out / "dxreport-2025-12.docx", first


def test_a_changed_bullet_a_new_case_and_a_removed_one(changed):
    root_dir, draft, first = changed
    root = body(draft)
    at = "periods/2025-12.yaml cases.industry.0"
    assert change(control(root, f"{at}.title")) is None and change(control(root, f"{at}.bullets.0")) is None
    assert change(control(root, f"{at}.bullets.1")) == ("データに基づく配送計画により、コストを削減。", first["bullets"][1])
    # The cases 2025-09 did not have are inserted.
    for c in (1, 2):
        title = control(root, f"periods/2025-12.yaml cases.industry.{c}.title")
        assert change(title)[0] == "" and mark(title.getparent()) == "ins"
    # The one 2025-12 no longer has: deleted paragraphs (title, bullet), its box a deleted table row.
    gone = [p for p in root.iter(f"{W}p") if mark(p) == "del"]
    assert [(style(p), rejected(p), accepted(p)) for p in gone] == [
        ("Heading4", REMOVED["title"], ""), ("ListBullet", REMOVED["bullets"][0], ""),
        ("BoxTitle", REMOVED["box"]["title"], ""), ("BoxText", REMOVED["box"]["lines"][0], "")]
    assert not list(gone[0].iter(f"{W}sdt"))  # nothing of it can be corrected: it is in no file of this period
    row = next(gone[2].iterancestors(f"{W}tr"))
    assert row.find(f"{W}trPr/{W}del").get(f"{W}author") == AUTHOR
    # Placed after the cases of the field, before the next field's dashboard.
    industry = dashboards(root, prepared(root_dir).job.pack)[0]
    assert industry[-4:] == gone


def accept_all(draft: Path, out: Path) -> None:
    """Word's 「すべての変更を反映」 on the draft: insertions kept, deletions (and deleted paragraphs and rows) gone."""
    z = zipfile.ZipFile(draft)
    root = etree.fromstring(z.read("word/document.xml"))
    for tr in [tr for tr in root.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}del") is not None]:
        tbl = tr.getparent()
        tbl.remove(tr)
        if tbl.find(f"{W}tr") is None:
            tbl.getparent().remove(tbl)
    for p in [p for p in root.iter(f"{W}p") if mark(p) == "del"]:
        p.getparent().remove(p)
    for d in list(root.iter(f"{W}del")):
        d.getparent().remove(d)
    for i in list(root.iter(f"{W}ins")):
        parent = i.getparent()
        if parent.tag == f"{W}rPr":
            parent.remove(i)
            continue
        at = parent.index(i)
        for child in reversed(list(i)):
            parent.insert(at, child)
        parent.remove(i)
    with zipfile.ZipFile(out, "w") as dst:
        for item in z.infolist():
            dst.writestr(item, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                         if item.filename == "word/document.xml" else z.read(item.filename))


def test_absorb_ignores_the_changes_since_the_previous_period_as_built_or_all_accepted(changed, tmp_path):
    root, draft, _first = changed
    before = digest(root)
    result = run("absorb", str(draft), str(root), "--apply")
    assert result.returncode == 0, result.stderr
    assert "変更 0 件、コメント 0 件" in result.stdout and AUTHOR not in result.stdout
    everything = tmp_path / "accepted.docx"
    accept_all(draft, everything)
    xml = zipfile.ZipFile(everything).read("word/document.xml")
    assert b"<w:ins " not in xml and b"<w:del " not in xml and REMOVED["title"].encode() not in xml
    result = run("absorb", str(everything), str(root), "--apply")
    assert result.returncode == 0, result.stderr
    assert "変更 0 件、コメント 0 件" in result.stdout
    assert digest(root) == before


def test_the_final_copy_carries_no_change_and_no_removed_case(changed, tmp_path):
    root, _draft, _first = changed
    out = tmp_path / "final"
    build_pack(complete(root), out=out, final=True)
    xml = zipfile.ZipFile(out / "dxreport-2025-12.docx").read("word/document.xml")
    assert b"<w:ins " not in xml and b"<w:del " not in xml and b"<w:sdt>" in xml
    assert REMOVED["title"].encode() not in xml


def test_a_basic_target_highlight_the_period_no_longer_prints_is_deleted(sample_draft):
    """The sample's 2025-09 said how its productivity moved; 2026-03 does not update it,
    so that sentence is a tracked deletion, and rejecting every change gives the
    previous period's highlights, accepting them this period's."""
    now = prepared(SAMPLE).job.pack.basic_targets.bullets
    before = prepared(SAMPLE, "2025-09").job.pack.basic_targets.bullets
    assert set(before) - set(now)  # one highlight gone
    root = body(sample_draft)
    paragraphs = [p for p in root.iter(f"{W}p") if style(p) == "ListBullet"]
    texts_rejected = {rejected(p) for p in paragraphs}
    texts_accepted = {accepted(p) for p in paragraphs}
    for old in set(before) - set(now):
        assert old in texts_rejected and old not in texts_accepted
    assert set(now) <= texts_accepted


# ---------------------------------------------------------------- photos, a turned direction, the title page
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"


def photos(root) -> list[tuple[str | None, str | None, str]]:
    """Each photo paragraph of the draft: how its picture's run is tracked ("ins", "del" or
    None), how its paragraph mark is, and the picture's alternative text."""
    out = []
    for p in root.iter(f"{W}p"):
        if style(p) != "CaseImage":
            continue
        blip = next(p.iter(f"{A}blip"))
        run = next(a for a in blip.iterancestors(f"{W}r"))
        parent = run.getparent().tag
        kind = "ins" if parent == f"{W}ins" else "del" if parent == f"{W}del" else None
        if kind:
            assert run.getparent().get(f"{W}author") == AUTHOR
        descr = next(p.iter(f"{PIC}cNvPr")).get("descr")
        out.append((kind, mark(p), descr))
    return out


def test_a_new_case_studys_photo_is_inserted_with_its_case(sample_draft):
    """The sample's 2026-03 case with a photo is new since 2025-09: its title and its photo
    (the picture and its paragraph) are tracked insertions, so rejecting the case rejects its photo."""
    root = body(sample_draft)
    case = next(c for d in prepared(SAMPLE).job.pack.dashboards for c in d.cases if c.image is not None)
    title = next(s for s in root.iter(f"{W}sdt") if accepted(s) == case.title)
    assert change(title) == ("", case.title)
    assert photos(root) == [("ins", "ins", case.image_alt)]


def test_a_removed_case_studys_photo_is_deleted_and_a_replaced_one_both(changed_with_photos, tmp_path):
    root_dir, draft = changed_with_photos
    root = body(draft)
    assert sorted(photos(root)) == sorted([
        ("del", "del", REMOVED_PHOTO_ALT),           # the case 2025-12 no longer has
        ("del", "del", "前期の写真"), ("ins", "ins", "今期の写真"),  # the first case's photo, replaced
    ])
    # The removed case's photo is the last of its deleted paragraphs, after its box.
    gone = [p for p in root.iter(f"{W}p") if mark(p) == "del"]
    assert style(gone[-1]) == "CaseImage"
    # Accepted, the draft has this period's photo only; absorb reads no change either way.
    before = digest(root_dir)
    for copy in (draft, tmp_path / "accepted.docx"):
        if copy != draft:
            accept_all(draft, copy)
            assert photos(body(copy)) == [(None, None, "今期の写真")]
        result = run("absorb", str(copy), str(root_dir), "--apply")
        assert result.returncode == 0, result.stderr
        assert "変更 0 件、コメント 0 件" in result.stdout
    assert digest(root_dir) == before
    out = tmp_path / "final"
    build_pack(complete(root_dir), out=out, final=True)
    assert photos(body(out / "dxreport-2025-12.docx")) == [(None, None, "今期の写真")]


@pytest.fixture
def changed_with_photos(dataset_copy, tmp_path):
    """An Aomori copy whose 2025-09 has the first case of 2025-12 with another photo and a
    case with a photo that 2025-12 no longer has; 2025-12's first case has a photo of its own."""
    import shutil

    from ruamel.yaml import YAML

    root = dataset_copy(AOMORI)
    (root / "images").mkdir()
    for name in ("old.png", "new.png", "removed.png"):
        shutil.copy(SAMPLE / "images" / "case-1.png", root / "images" / name)
    yaml = YAML()
    path = root / "periods" / "2025-12.yaml"
    now = yaml.load(path.read_text(encoding="utf-8"))
    first = now["cases"]["industry"][0]
    old_first = {"title": first["title"], "bullets": list(first["bullets"]), "image": "images/old.png", "image_alt": "前期の写真"}
    first["image"], first["image_alt"] = "images/new.png", "今期の写真"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(now, fh)
    removed = {**REMOVED, "image": "images/removed.png", "image_alt": REMOVED_PHOTO_ALT}
    with (root / "periods" / "2025-09.yaml").open("a", encoding="utf-8") as fh:
        yaml.dump({"cases": {"industry": [old_first, removed]}}, fh)
    out = tmp_path / "out"
    build_pack(root, out=out)
    return root, out / "dxreport-2025-12.docx"


def test_a_highlight_whose_direction_turned_deletes_the_old_word_and_inserts_the_new(dataset_copy, tmp_path):
    """The sample's SME share rose in 2025-09's highlight; in this copy 2026-03 has it fall:
    the highlight's 増加 is a tracked deletion and 減少 an insertion, beside the changed
    figure, and rejecting or accepting every change gives each period's own sentence."""
    root = dataset_copy(SAMPLE)

    def earlier(d):
        d["basic_targets"]["sme-share"]["updated"] = True

    def now(d):
        d["basic_targets"]["sme-share"]["years"][2025] = 30.0

    edit_yaml(root / "periods" / "2025-09.yaml", earlier)
    edit_yaml(root / "periods" / "2026-03.yaml", now)
    out = tmp_path / "out"
    build_pack(root, out=out)
    new = [b for b in prepared(root).job.pack.basic_targets.bullets if "減少" in b]
    old = [b for b in prepared(root, "2025-09").job.pack.basic_targets.bullets if "増加" in b and b.startswith(new[0][:4])]
    assert len(new) == 1 and len(old) == 1
    paragraph = next(p for p in body(out / "dxreport-2026-03.docx").iter(f"{W}p") if accepted(p) == new[0])
    assert rejected(paragraph) == old[0]
    dels = ["".join(t.text for t in d.iter(f"{W}delText")) for d in paragraph.iter(f"{W}del")]
    inss = ["".join(t.text for t in i.iter(f"{W}t")) for i in paragraph.iter(f"{W}ins")]
    assert "増加" in dels and "減少" in inss  # whole words, not characters
    assert all(d.getparent().tag == f"{W}p" for d in paragraph.iter(f"{W}del") if "増加" in "".join(t.text for t in d.iter(f"{W}delText")))


def test_the_title_pages_items_carry_the_previous_periods_as_of(sample_draft):
    """The title page's items (基本目標の更新（R8.3末時点）): rejecting every change gives the
    previous period's title page items, accepting them this period's."""
    now = prepared(SAMPLE).job.pack.title_page.items
    before = prepared(SAMPLE, "2025-09").job.pack.title_page.items
    assert now != before
    items = [p for p in body(sample_draft).iter(f"{W}p") if style(p) == "TitleItem"]
    assert [accepted(p) for p in items if accepted(p)] == list(now)
    assert [rejected(p) for p in items if rejected(p)] == list(before)


def test_a_changed_figure_of_the_appendix_is_never_broken_in_libreoffice(aomori_draft, tmp_path):
    """A figure cell showing its change (the previous figure deleted beside the new) reads to
    the word processor as one run of digits and kanji (108,651人113,300人), which
    LibreOffice broke anywhere (「113,30」「0人」): the draft sets the line end after the
    deleted figure, so each new figure of the Aomori appendix is whole on one line."""
    import pdfplumber

    from pdfcheck import squash
    from test_docx import libreoffice_pdf

    marks = prepared(AOMORI).job.pack.marks.spans
    changed = {s.text for path, spans in marks.items() if path.startswith("appendix.") and ".tile." not in path
               for s in spans if s.figure and s.previous}
    assert len(changed) >= 16
    pdf = libreoffice_pdf(aomori_draft, tmp_path)
    with pdfplumber.open(pdf) as doc:
        lines = [squash(line) for page in doc.pages for line in (page.extract_text() or "").splitlines()]
    for figure in sorted(changed):
        assert any(squash(figure) in line for line in lines), figure

"""The Word draft as the proofreading loop: dataset texts in tagged content
controls, figures in locked ones, the changes since the previous period as
tracked changes, and ``dxreport absorb`` reading a proofread draft back."""

from __future__ import annotations

import copy
import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from conftest import AOMORI, SAMPLE, build_pack, complete, pdf_text, prepared
from conftest import run as run_en


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """absorb's report is read here in Japanese, the default language."""
    return run_en("--lang", "ja", *args, **kwargs)
from pdfcheck import squash

BULLET = "periods/2025-12.yaml cases.industry.0.bullets.1"
BODY = "periods/2025-12.yaml notice.body.1"
NEW_BULLET = "県内の中小企業向けに、生成AIの活用セミナーを開催し、延べ120社が参加"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def built(dataset_copy, tmp_path):
    """A copy of the Aomori dataset and its draft."""
    root = dataset_copy(AOMORI)
    out = tmp_path / "out"
    build_pack(root, out=out)
    return root, out / "dxreport-2025-12.docx"


def controls(doc) -> list:
    return list(doc.element.body.iter(qn("w:sdt")))


def tag(sdt) -> str:
    return sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val"))


def control(doc, wanted: str):
    return next(s for s in controls(doc) if tag(s) == wanted)


def locked(sdt) -> bool:
    lock = sdt.find(f"{qn('w:sdtPr')}/{qn('w:lock')}")
    return lock is not None and lock.get(qn("w:val")) == "sdtContentLocked"


def set_text(sdt, text: str) -> None:
    """Overtype a control's content, as a reviewer typing without tracking changes."""
    content = sdt.find(qn("w:sdtContent"))
    for child in list(content):
        content.remove(child)
    r = OxmlElement("w:r")
    r.text = text
    content.append(r)


def revision(kind: str, text: str, author: str = "校閲 花子", date: str = "2026-02-10T09:30:00Z"):
    el = OxmlElement(f"w:{kind}")
    el.set(qn("w:id"), str(900 + len(text)))
    el.set(qn("w:author"), author)
    el.set(qn("w:date"), date)
    r = OxmlElement("w:r")
    r.text = text
    if kind == "del":
        for t in r.findall(qn("w:t")):
            t.tag = qn("w:delText")
    el.append(r)
    return el


def absorb(draft: Path, root: Path, *more: str):
    return run("absorb", str(draft), str(root), *more)


# ---------------------------------------------------------------- the controls
def test_every_figure_locked_and_every_dataset_text_tagged_as_the_pack_model_counts(built):
    root, draft = built
    pack = prepared(root).job.pack
    doc = docx.Document(str(draft))
    sdts = controls(doc)
    figures = [s for s in sdts if tag(s).startswith("figure ")]
    texts = [s for s in sdts if not tag(s).startswith("figure ")]
    spans = [s for v in pack.marks.spans.values() for s in v]
    assert len(figures) == sum(1 for s in spans if s.figure) > 100
    assert len(texts) == sum(1 for s in spans if s.origin is not None) > 100
    assert all(locked(s) for s in figures)
    assert not any(locked(s) for s in texts)
    # Every printed figure of the appendix and of the tiles is in a locked control.
    by_tag = {tag(s): "".join(t.text for t in s.iter(qn("w:t"))) for s in figures}
    for a, table in enumerate(pack.appendix):
        for r, row in enumerate(table.rows):
            for name in ("target", "previous_rate", "current_rate"):
                assert by_tag[f"figure appendix.{a}.rows.{r}.{name}"] == getattr(row, name)
            assert by_tag[f"figure appendix.{a}.rows.{r}.current"] == row.current.split("\n")[0]
            assert by_tag[f"figure appendix.{a}.rows.{r}.previous"] == row.previous.split("\n")[0]
        assert by_tag[f"figure appendix.{a}.kpi_row.previous"] == table.kpi_row.previous
        assert table.kpi_row.current.startswith(by_tag[f"figure appendix.{a}.kpi_row.current"])
    for d, dash in enumerate(pack.dashboards):
        for t, tile in enumerate(dash.tiles):
            assert by_tag[f"figure dashboards.{d}.tiles.{t}.rate"] == tile.rate
            assert by_tag[f"figure dashboards.{d}.tiles.{t}.diff"] == tile.diff
    # Each text control's tag names its file and field, and holds that field's text.
    from ruamel.yaml import YAML

    files = {name: YAML(typ="safe").load((root / name).read_text(encoding="utf-8")) for name in ("plan.yaml", "periods/2025-12.yaml", "periods/2025-09.yaml")}
    for s in texts:
        file, path = tag(s).split(" ")
        node = files[file]
        for part in path.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
        assert "".join(t.text for t in s.iter(qn("w:t"))) == "".join(node.split("\n")), tag(s)
    # Wording from templates/ is plain text, outside any control.
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert not list(title._p.iter(qn("w:sdt"))) and title.text == pack.notice.title


def test_the_controls_counted_from_the_yaml_itself(built):
    """The same check, counted from the YAML rather than the model's marks: every
    dataset field the pack prints has a tagged, unlocked control, and the appendix
    and tiles hold exactly as many locked figures as their rows and tiles print."""
    from ruamel.yaml import YAML

    root, draft = built
    doc = docx.Document(str(draft))
    plan = YAML(typ="safe").load((root / "plan.yaml").read_text(encoding="utf-8"))
    now = YAML(typ="safe").load((root / "periods" / "2025-12.yaml").read_text(encoding="utf-8"))
    before = YAML(typ="safe").load((root / "periods" / "2025-09.yaml").read_text(encoding="utf-8"))
    expected = set()
    for i, bt in enumerate(plan["basic_targets"]):
        expected |= {f"plan.yaml basic_targets.{i}.{k}" for k in ("name", "detail", "frequency", "source") if bt.get(k)}
    tiles = 0
    rows = 0
    diffs = 0
    for f, field in enumerate(plan["fields"]):
        for k, kpi in enumerate(field["kpis"]):
            tiles += 1
            expected |= {f"plan.yaml fields.{f}.kpis.{k}.{x}" for x in ("name", "label", "components") if kpi.get(x)}
            for i, ind in enumerate(kpi["indicators"]):
                rows += 1
                expected |= {f"plan.yaml fields.{f}.kpis.{k}.indicators.{i}.{x}" for x in ("name", "source") if ind.get(x)}
            diffs += 1  # every KPI has a value in both periods: its appendix row prints a 前期差
    # The field names print only in the note of a basic target that is a mean of fields.
    named = {fid for bt in now["basic_targets"].values() for year in (bt.get("years") or {}).values() if isinstance(year, dict) for fid in year["fields"]}
    expected |= {f"plan.yaml fields.{f}.name" for f, field in enumerate(plan["fields"]) if field["id"] in named}
    n = now["notice"]
    expected |= {f"periods/2025-12.yaml notice.{k}" for k in ("department", "division", "group", "contact", "phone", "extension", "press_officer") if n.get(k)}
    expected |= {f"periods/2025-12.yaml notice.{k}.{i}" for k in ("body", "updates") for i in range(len(n[k]))}
    for fid, cases in now["cases"].items():
        for c, case in enumerate(cases):
            at = f"periods/2025-12.yaml cases.{fid}.{c}"
            expected |= {f"{at}.title"} | {f"{at}.bullets.{j}" for j in range(len(case["bullets"]))}
            if case.get("box"):
                expected |= {f"{at}.box.title"} | {f"{at}.box.lines.{j}" for j in range(len(case["box"]["lines"]))}
    for name, period in (("2025-12", now), ("2025-09", before)):
        expected |= {f"periods/{name}.yaml values.{vid}.note" for vid, v in period["values"].items() if v.get("note")}
    expected |= {f"periods/2025-12.yaml basic_targets.{bid}.note" for bid, bt in now["basic_targets"].items() if bt.get("note")}
    sdts = controls(doc)
    texts = [s for s in sdts if not tag(s).startswith("figure ")]
    assert {tag(s) for s in texts} == expected
    assert not any(locked(s) for s in texts)
    figures = [tag(s) for s in sdts if locked(s)]
    # Per appendix row: target, previous value, its rate, current value, its rate; per table the KPI
    # row's two rates and its 前期差, and its KPI's tile again (rate and 前期差); per tile its rate and 前期差.
    assert sum(1 for t in figures if t.startswith("figure appendix.")) == 5 * rows + 3 * tiles + 2 * tiles
    assert sum(1 for t in figures if t.startswith("figure dashboards.")) == 2 * tiles == 16
    assert diffs == tiles == 8 and rows == 30


def test_changes_since_the_previous_period_are_tracked_changes_with_old_and_new_text(built, tmp_path):
    root, draft = built
    pack = prepared(root).job.pack
    doc = docx.Document(str(draft))
    author = "前期（2025年9月末時点）との差分"

    def change(t: str) -> tuple[str, str] | None:
        sdt = control(doc, t)
        dels = sdt.findall(f"{qn('w:sdtContent')}/{qn('w:del')}")
        ins = sdt.findall(f"{qn('w:sdtContent')}/{qn('w:ins')}")
        if not dels and not ins:
            return None
        assert {e.get(qn("w:author")) for e in dels + ins} == {author}
        assert {e.get(qn("w:date")) for e in dels + ins} == {"2026-02-04T00:00:00Z"}
        return ("".join(x.text for e in dels for x in e.iter(qn("w:delText"))), "".join(x.text for e in ins for x in e.iter(qn("w:t"))))

    kpis = [r for r in pack.open_data.records if r.kind == "kpi"]
    tiles = [(d, t) for d, dash in enumerate(pack.dashboards) for t in range(len(dash.tiles))]
    assert len(kpis) == len(tiles) == 8
    for (d, t), k in zip(tiles, kpis):
        old, new = f"{k.previous:.1f}%", f"{k.current:.1f}%"
        assert change(f"figure dashboards.{d}.tiles.{t}.rate") == ((old, new) if old != new else None)
        a = [x.kpi_id for x in pack.appendix].index(k.id)
        assert change(f"figure appendix.{a}.kpi_row.current") == ((old, new) if old != new else None)
    moved = 0
    for a, table in enumerate(pack.appendix):
        for r, row in enumerate(table.rows):
            expected = (row.previous_rate, row.current_rate) if row.previous_rate != row.current_rate else None
            moved += expected is not None
            assert change(f"figure appendix.{a}.rows.{r}.current_rate") == expected
    assert moved >= 10
    # The final copy carries none.
    out = tmp_path / "final"
    build_pack(complete(root), out=out, final=True)
    xml = zipfile.ZipFile(out / "dxreport-2025-12.docx").read("word/document.xml")
    assert b"<w:ins " not in xml and b"<w:del " not in xml and b"<w:sdt>" in xml


# ---------------------------------------------------------------- absorb
def test_an_untouched_draft_absorbs_to_no_change_byte_for_byte(built):
    root, draft = built
    before = digest(root)
    result = absorb(draft, root, "--apply")
    assert result.returncode == 0, result.stderr
    assert "変更 0 件、コメント 0 件" in result.stdout and "元データと違う文言はありません" in result.stdout
    assert digest(root) == before


def test_an_edited_bullet_flows_back_into_the_yaml_and_the_next_pdf(built, tmp_path):
    root, draft = built
    doc = docx.Document(str(draft))
    old = "".join(t.text for t in control(doc, BULLET).iter(qn("w:t")))
    set_text(control(doc, BULLET), NEW_BULLET)
    doc.save(str(draft))
    yaml_file = root / "periods" / "2025-12.yaml"
    line = next(i for i, text in enumerate(yaml_file.read_text(encoding="utf-8").splitlines(), start=1) if old in text)

    result = absorb(draft, root)
    assert result.returncode == 0, result.stderr
    assert f"変更 periods/2025-12.yaml:{line} cases.industry.0.bullets.1" in result.stdout
    assert f"  - {old}" in result.stdout and f"  + {NEW_BULLET}" in result.stdout
    assert "変更履歴なしの直接の修正" in result.stdout
    assert NEW_BULLET not in yaml_file.read_text(encoding="utf-8")  # without --apply nothing is written

    before = yaml_file.read_text(encoding="utf-8")
    result = absorb(draft, root, "--apply")
    assert result.returncode == 0, result.stderr
    after = yaml_file.read_text(encoding="utf-8")
    # Only that line changed: comments, order and quoting kept.
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(before.splitlines()) == len(after.splitlines()) and len(changed) == 1
    assert changed[0][0].replace(old, NEW_BULLET) == changed[0][1]

    out = tmp_path / "next"
    build_pack(root, out=out)
    assert squash(NEW_BULLET) in squash(pdf_text(out / "dxreport-2025-12.pdf"))
    again = docx.Document(str(out / "dxreport-2025-12.docx"))
    assert "".join(t.text for t in control(again, BULLET).iter(qn("w:t"))) == NEW_BULLET
    assert "変更 0 件" in absorb(out / "dxreport-2025-12.docx", root).stdout


def test_tracked_changes_are_read_as_accepted_with_their_author_and_date(built):
    root, draft = built
    doc = docx.Document(str(draft))
    sdt = control(doc, BODY)
    text = "".join(t.text for t in sdt.iter(qn("w:t")))
    assert "2025年12月末時点" in text
    head, tail = text.split("2025年12月末時点")
    content = sdt.find(qn("w:sdtContent"))
    for child in list(content):
        content.remove(child)
    r1 = OxmlElement("w:r")
    r1.text = head
    r2 = OxmlElement("w:r")
    r2.text = tail
    content.extend([r1, revision("del", "2025年12月末時点"), revision("ins", "令和7年12月末時点", "決裁 太郎", "2026-02-12T10:00:00Z"), r2])
    doc.save(str(draft))
    result = absorb(draft, root)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    line = next(i for i, x in enumerate((root / "periods" / "2025-12.yaml").read_text(encoding="utf-8").splitlines(), start=1) if text in x)
    assert f"periods/2025-12.yaml:{line} notice.body.1" in out
    assert f"  + {head}令和7年12月末時点{tail}" in out
    assert "変更履歴（削除）：校閲 花子 2026-02-10T09:30:00Z「2025年12月末時点」" in out
    assert "変更履歴（挿入）：決裁 太郎 2026-02-12T10:00:00Z「令和7年12月末時点」" in out
    assert "前期（" not in out  # the build's own changes since the previous period are not the reviewers'


def test_reviewer_comments_are_reported_with_what_they_are_on(built):
    root, draft = built
    doc = docx.Document(str(draft))
    from docx.text.run import Run

    sdt = control(doc, BULLET)
    p = docx.text.paragraph.Paragraph(sdt.getparent(), None)
    runs = [Run(r, p) for r in sdt.iter(qn("w:r"))]
    doc.add_comment(runs, "参加者数を確認してください", "校閲 花子", "KH")
    doc.save(str(draft))
    result = absorb(draft, root)
    assert result.returncode == 0, result.stderr
    assert "コメント 校閲 花子" in result.stdout and "参加者数を確認してください" in result.stdout
    assert "cases.industry.0.bullets.1" in result.stdout.split("参加者数を確認してください")[1]
    assert "dxreport check" not in result.stdout  # the build's own review comments are not reported


def test_a_deleted_control_stops_absorb_naming_it(built):
    root, draft = built
    before = digest(root)
    doc = docx.Document(str(draft))
    sdt = control(doc, BULLET)
    sdt.getparent().remove(sdt)
    doc.save(str(draft))
    result = absorb(draft, root, "--apply")
    assert result.returncode == 2
    assert "内容コントロールが削除されています" in result.stderr and "cases.industry.0.bullets.1" in result.stderr
    assert "Traceback" not in result.stderr and digest(root) == before


def test_an_overtyped_figure_stops_absorb(built):
    root, draft = built
    before = digest(root)
    doc = docx.Document(str(draft))
    sdt = control(doc, "figure dashboards.0.tiles.0.rate")
    set_text(sdt, "99.9%")
    doc.save(str(draft))
    result = absorb(draft, root, "--apply")
    assert result.returncode == 2
    assert "計算値「63.2%」が「99.9%」に書き換えられています" in result.stderr
    assert "の表" in result.stderr  # named by its place: the heading it follows, its table and cell
    assert digest(root) == before


def test_a_changed_table_stops_absorb(built):
    root, draft = built
    doc = docx.Document(str(draft))
    table = doc.tables[-1]
    table._tbl.append(copy.deepcopy(table.rows[2]._tr))
    doc.save(str(draft))
    result = absorb(draft, root)
    assert result.returncode == 2 and "表の構造" in result.stderr


def test_a_draft_of_another_dataset_or_period_is_refused(built, tmp_path):
    root, draft = built
    out = tmp_path / "sample"
    build_pack(SAMPLE, out=out)
    result = absorb(out / "dxreport-2026-03.docx", root)
    assert result.returncode == 2 and "「サンプル県" in result.stderr
    result = run("absorb", str(draft), str(root / "periods" / "2025-09.yaml"))
    assert result.returncode == 2 and "2025-12 時点" in result.stderr


@pytest.mark.parametrize("kind", ["text", "other-tool", "password", "corrupt"])
def test_bad_files_stop_absorb_with_a_clear_message(built, tmp_path, kind):
    root, draft = built
    before = digest(root)
    bad = tmp_path / "bad.docx"
    if kind == "text":
        bad.write_text("これはWord文書ではありません", encoding="utf-8")
        wanted = "Word文書（.docx）ではありません"
    elif kind == "other-tool":
        docx.Document().save(str(bad))
        wanted = "dxreport が作成した下書きではありません"
    elif kind == "password":
        # What Word writes for a password-protected document: an OLE compound file.
        bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
        wanted = "パスワードで保護"
    else:
        bad.write_bytes(draft.read_bytes()[: draft.stat().st_size // 2])
        wanted = "Word文書（.docx）ではありません" if not zipfile.is_zipfile(bad) else "壊れて"
    result = absorb(bad, root, "--apply")
    assert result.returncode == 2, result.stdout
    assert wanted in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert digest(root) == before


def libreoffice(draft: Path, tmp_path: Path, name: str) -> Path:
    """The draft as LibreOffice saves it (``soffice --convert-to docx``)."""
    out = tmp_path / name
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "docx",
                    "--outdir", str(out), str(draft)], capture_output=True, timeout=180, check=True)
    return out / draft.name


def outer(doc, draft: Path, wanted: str):
    """The control of a LibreOffice copy (which wraps each control's content in another,
    untagged) in the place of the draft's control tagged ``wanted``."""
    place = [tag(s) for s in controls(docx.Document(str(draft)))].index(wanted)
    return [s for s in controls(doc) if s.getparent().tag != qn("w:sdtContent")][place]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_copy_saved_by_libreoffice_is_absorbed_by_the_order_of_its_controls(built, tmp_path):
    root, draft = built
    saved = libreoffice(draft, tmp_path, "lo")
    xml = zipfile.ZipFile(saved).read("word/document.xml").decode("utf-8")
    # LibreOffice 7.4 keeps the controls (each wrapped in one more, untagged), the tracked changes with
    # their author and the identifier, but drops every tag and lock.
    assert "<w:sdt>" in xml and "<w:ins " in xml and "<w:tag " not in xml and "sdtContentLocked" not in xml
    assert "前期（2025年9月末時点）との差分" in xml
    result = absorb(saved, root)
    assert result.returncode == 0, result.stderr
    assert "変更 0 件" in result.stdout
    # A bullet corrected in that copy is found by its control's place and written back.
    doc = docx.Document(str(saved))
    old = "".join(t.text for t in control(docx.Document(str(draft)), BULLET).iter(qn("w:t")))
    assert "".join(t.text for t in outer(doc, draft, BULLET).iter(qn("w:t"))) == old
    set_text(outer(doc, draft, BULLET), NEW_BULLET)
    doc.save(str(saved))
    result = absorb(saved, root, "--apply")
    assert result.returncode == 0, result.stderr
    assert "cases.industry.0.bullets.1" in result.stdout and f"  + {NEW_BULLET}" in result.stdout
    assert NEW_BULLET in (root / "periods" / "2025-12.yaml").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_libreoffice_copy_with_an_overtyped_figure_or_a_deleted_control_is_refused(built, tmp_path):
    root, draft = built
    before = digest(root)
    saved = libreoffice(draft, tmp_path, "lo")
    doc = docx.Document(str(saved))
    figure = outer(doc, draft, "figure dashboards.0.tiles.0.rate")
    assert "".join(t.text for t in figure.iter(qn("w:t"))) == "63.2%"
    set_text(figure, "99.9%")
    doc.save(str(saved))
    result = absorb(saved, root, "--apply")
    assert result.returncode == 2 and "計算値「63.2%」が「99.9%」に書き換えられています" in result.stderr
    # Without its tags a deleted control cannot be told from the others: the copy is refused.
    doc = docx.Document(str(libreoffice(draft, tmp_path, "lo2")))
    sdt = outer(doc, draft, BULLET)
    sdt.getparent().remove(sdt)
    doc.save(str(tmp_path / "deleted.docx"))
    result = absorb(tmp_path / "deleted.docx", root, "--apply")
    assert result.returncode == 2 and "タグ" in result.stderr and "LibreOffice" in result.stderr
    assert digest(root) == before

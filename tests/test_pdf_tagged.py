"""The PDF as a screen reader and an archive see it: tagged (PDF/UA-1) and
PDF/A-2a, checked from the file itself.

veraPDF cannot be installed here (it is a Java program, and no Java is
downloaded), so these are the checks we can make: the ``pdfua`` package's
machine checks, our own walk of every content stream, the structure tree read
back against the pack model, qpdf's syntax check (pikepdf's
``check_pdf_syntax``) and our own open PDF/A-2a check (``tests/pdfa.py``: XMP,
output intent, fonts, colour, actions, annotations, external content). They are
not a conformance certificate.
"""

from __future__ import annotations

import datetime
import io
import multiprocessing
import re
import subprocess
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import pdfplumber
import pikepdf
import pytest

import pdfa
from conftest import AOMORI, SAMPLE, prepared

# Operators that paint: text showing, path painting, shadings, XObjects, inline images.
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}
STANDARD_ROLES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct",
    "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH",
    "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot",
    "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _render(job, tagged: bool) -> bytes:
    from dxreport.build import tasks
    from dxreport.render import pdf

    return pdf.render(replace(job, drawings=tasks.local()), tagged=tagged)[f"{job.stem}.pdf"]


def render_pdf(job, tagged: bool = True) -> bytes:
    """The PDF of a pack model, rendered in a forked process: what rendering
    leaves in a process (fonts registered once, charts drawn once) stays out of
    this one, whose later tests count exactly those."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as ex:
        return ex.submit(_render, job, tagged).result()


@pytest.fixture(scope="module", params=[AOMORI, SAMPLE], ids=["aomori", "sample"])
def built(request):
    """The pack model, its PDF and the same pages untagged, for each shipped dataset."""
    job = prepared(request.param).job
    return job, render_pdf(job), render_pdf(job, tagged=False)


@pytest.fixture(scope="module")
def tree(built):
    """(role, attributes, text, children) of every structure element, text by its
    marked content as pdfplumber extracts the characters."""
    _, data, _ = built
    texts: dict[tuple[int, int], str] = defaultdict(str)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        for number, page in enumerate(doc.pages, 1):
            for ch in page.chars:
                if ch.get("mcid") is not None:
                    texts[(number, ch["mcid"])] += ch["text"]
        pdf = pikepdf.open(io.BytesIO(data))
        pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages, 1)}

        def node(el) -> dict:
            out = {"role": str(el.S)[1:], "el": el, "text": "", "kids": []}
            kids = el.get("/K")
            kids = [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            page = pages.get(el.Pg.objgen) if "/Pg" in el else None
            for k in kids:
                if isinstance(k, int):
                    out["text"] += texts[(page, int(k))]
                elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR":
                    out["text"] += texts[(pages[k.Pg.objgen], int(k.MCID))]
                elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR":
                    out.setdefault("objr", []).append(k.Obj)
                else:
                    out["kids"].append(node(k))
            return out

        root = node(pdf.Root.StructTreeRoot.K)
    return root, pdf


def walk(n: dict):
    yield n
    for k in n["kids"]:
        yield from walk(k)


def all_text(n: dict, figures: bool = True) -> str:
    """The text read in structure order (a Figure's own text, its chart labels,
    is replaced by its alternative text for a reader; ``figures=False`` leaves it out)."""
    if n["role"] == "Figure" and not figures:
        return ""
    return n["text"] + "".join(all_text(k, figures) for k in n["kids"])


def test_pdfinfo_says_tagged(built, tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(built[1])
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Metadata Stream:\s+yes$", info, re.M)


def test_pdfua_machine_checks_pass(built, tmp_path):
    from pdfua import validate

    path = tmp_path / "x.pdf"
    path.write_bytes(built[1])
    report = validate(str(path))
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []
    assert not report.skipped  # every implemented check ran (none raised on our file)


def test_every_painting_operator_is_tagged_content_or_an_artifact(built):
    pdf = pikepdf.open(io.BytesIO(built[1]))
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    loose: list[str] = []
    for number, page in enumerate(pdf.pages, 1):
        mcids = parent_tree[int(page.obj.StructParents)]
        stack: list[tuple[str, int | None]] = []
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "BDC":
                props = operands[1]
                stack.append((str(operands[0]), int(props.MCID) if "/MCID" in props else None))
            elif op == "BMC":
                stack.append((str(operands[0]), None))
            elif op == "EMC":
                stack.pop()
            elif op in PAINTING:
                inside = False
                for tag, mcid in stack:
                    if tag == "/Artifact":
                        inside = True
                    elif mcid is not None:
                        # Tied to a structure element: the ParentTree names it, with the same role.
                        assert mcid < len(mcids) and str(mcids[mcid].S) == tag, (number, tag, mcid)
                        inside = True
                if not inside:
                    loose.append(f"page {number}: {op}")
        assert stack == [], f"page {number}: marked content left open"
    assert loose == []


def test_catalogue_and_annotations(built):
    pdf = pikepdf.open(io.BytesIO(built[1]))
    root = pdf.Root
    assert bool(root.MarkInfo.Marked) is True
    assert str(root.Lang) == "ja-JP"
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    assert "/RoleMap" not in root.StructTreeRoot  # only standard roles are used
    links = 0
    for page in pdf.pages:
        annots = page.obj.get("/Annots", [])
        if len(annots):
            assert page.obj.Tabs == "/S"
        else:
            assert "/Tabs" not in page.obj
        for a in annots:
            assert a.Subtype == "/Link" and str(a.Contents).strip()
            assert int(a.F) & 4  # printed, as PDF/A wants
            nums = pdf.Root.StructTreeRoot.ParentTree.Nums
            parent = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}[int(a.StructParent)]
            assert parent.S == "/Link"
            links += 1
    assert links >= 1


def test_only_standard_roles_and_headings_nest(tree):
    root, _ = tree
    roles = [n["role"] for n in walk(root)]
    assert set(roles) <= STANDARD_ROLES
    level = 0
    heads = [r for r in roles if re.fullmatch(r"H\d", r)]
    assert heads and heads[0] == "H1"
    for r in heads:
        assert int(r[1]) <= level + 1, f"{r} after H{level}"  # no level skipped
        assert int(r[1]) <= 3, r  # the outline has three levels
        level = int(r[1])


def outline_of(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """The bookmarks, (level, title) in order, level 1 the outermost."""
    def entries(items, level):
        for it in items:
            yield level, it.title
            yield from entries(it.children, level + 1)

    with pdf.open_outline() as outline:
        return list(entries(outline.root, 1))


def test_headings_are_the_pack_outline(built, tree):
    pack = built[0].pack
    root, pdf = tree
    heads = [(n["role"], squash(n["text"])) for n in walk(root) if re.fullmatch(r"H\d", n["role"])]
    f, b = pack.framework, pack.basic_targets
    expected = [("H1", pack.notice.title), ("H1", pack.title_page.title),
                ("H1", f"{pack.framework_section.number} {pack.framework_section.title}"),
                ("H2", f.heading), ("H3", f.basic_heading), ("H3", f.kpi_heading), ("H2", f.structure_heading),
                ("H1", f"{pack.basic_section.number} {pack.basic_section.title}"), ("H2", b.title)]
    expected += [("H3", f"▶ {p.title}" + (f"（{p.detail}）" if p.detail else "")) for p in b.panels]
    if pack.dashboards:
        expected += [("H1", f"{pack.dashboard_section.number} {pack.dashboard_section.title}")]
    for d in pack.dashboards:
        # Each field's bar under the section's; its cases the third level (the cases heading a paragraph).
        expected += [("H2", d.heading)] + [("H3", c.title) for c in d.cases]
    expected += [("H1", pack.appendix_section.title)] + [("H2", t.title) for t in pack.appendix]
    assert heads == [(r, squash(t)) for r, t in expected]


def test_bookmarks_are_the_heading_tree(tree):
    """Every heading has its bookmark, at its level, reading what the heading reads
    on the page; and no bookmark is without a heading."""
    root, pdf = tree
    heads = [(int(n["role"][1]), squash(n["text"])) for n in walk(root) if re.fullmatch(r"H\d", n["role"])]
    marks = [(level, squash(title)) for level, title in outline_of(pdf)]
    assert marks == heads
    # Each bookmark opens the page its heading is drawn on.
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages, 1)}
    heading_pages = [pages[n["el"].Pg.objgen] for n in walk(root) if re.fullmatch(r"H\d", n["role"])]
    with pdf.open_outline() as outline:
        def dests(items):
            for it in items:
                yield pages[it.destination[0].objgen]
                yield from dests(it.children)
        assert list(dests(outline.root)) == heading_pages


def test_printed_captions_are_caption_elements_beside_their_figures(built, tree):
    """A chart's printed caption (a basic target's value, notes and source under
    its chart) is a Caption right after its Figure, in the panel's group: a reader
    stops at a Figure's alternative text, so the caption is not put inside it
    (PDF Association, Tagged PDF Best Practice Guide: Syntax, on Figure and
    Caption). Every Caption stands by a Figure or a Table."""
    pack = built[0].pack
    root, _ = tree
    titles = {squash(f"▶ {p.title}" + (f"（{p.detail}）" if p.detail else "")) for p in pack.basic_targets.panels}
    panels = [n for n in walk(root) if n["role"] == "Div" and n["kids"] and n["kids"][0]["role"] == "H3"
              and squash(n["kids"][0]["text"]) in titles]
    assert len(panels) == len(pack.basic_targets.panels)
    captioned = 0
    for div, p in zip(panels, pack.basic_targets.panels):
        roles = [k["role"] for k in div["kids"]]
        printed = squash(p.value_text + "".join(p.notes) + (f"（{p.source}）" if p.source else ""))
        fig = roles.index("Figure")
        if not printed:
            assert "Caption" not in roles
            continue
        assert roles[fig + 1] == "Caption" and roles.count("Caption") == 1
        caption = div["kids"][fig + 1]
        assert squash(all_text(caption)) == printed
        assert [k["role"] for k in caption["kids"]] == ["P"] * (bool(p.value_text) + len(p.notes) + bool(p.source))
        captioned += 1
    assert captioned  # each shipped pack prints at least one
    for parent in walk(root):
        kids = parent["kids"]
        for i, k in enumerate(kids):
            if k["role"] == "Caption":
                beside_figure = i > 0 and kids[i - 1]["role"] == "Figure"
                in_table = parent["role"] == "Table" and i in (0, len(kids) - 1)
                assert beside_figure or in_table


def test_dashboards_read_heading_tiles_chart_then_cases(built, tree):
    pack = built[0].pack
    root, _ = tree
    sects = [n for n in walk(root) if n["role"] == "Sect" and n["kids"] and n["kids"][0]["role"] == "H2"
             and any(squash(n["kids"][0]["text"]) == squash(d.heading) for d in pack.dashboards)]
    assert len(sects) == len(pack.dashboards)
    for sect, d in zip(sects, pack.dashboards):
        tiles = [k for k in sect["kids"] if k["role"] == "Div" and k["kids"] and k["kids"][0]["role"] == "P"]
        assert [[squash(p["text"]) for p in tile["kids"]] for tile in tiles[:len(d.tiles)]] == [
            [squash(x) for x in (t.name, *([t.updated_label] if t.updated_label else []), t.rate, f"{t.diff_label} {t.diff}",
                                 t.components_label, t.components)] for t in d.tiles]
        order = [k["role"] for k in sect["kids"]]
        fig = order.index("Figure")
        assert squash(sect["kids"][fig + 1]["text"]) == squash(d.cases_heading)  # the chart, then the cases heading
        assert sect["kids"][fig]["el"].Alt == d.chart.alt.replace("▲", "マイナス")
        expected_text = squash(d.heading + "".join(d.legend) + (d.previous_note or "") + "".join(
            t.name + t.updated_label + t.rate + f"{t.diff_label} {t.diff}" + t.components_label + t.components for t in d.tiles)
            + d.cases_heading + ("" if d.cases else d.no_cases)
            + "".join(c.title + "".join("・" + x for x in c.bullets) + c.box_title + "".join(c.box_lines) for c in d.cases))
        assert squash(all_text(sect, figures=False)) == expected_text


def test_every_figure_has_alternative_text(built, tree):
    pack = built[0].pack
    root, _ = tree
    figures = [n for n in walk(root) if n["role"] == "Figure"]
    alts = [str(n["el"].Alt) for n in figures]
    assert all(a.strip() for a in alts)
    photos = [c.image_alt or c.title for d in pack.dashboards for c in d.cases if c.image is not None]
    assert sorted(alts) == sorted([c.alt.replace("▲", "マイナス") for c in pack.charts()] + photos)
    assert not any("▲" in a for a in alts)  # spelt out, as it is read
    assert all(not all_text(n) or n["kids"] == [] for n in figures)


def test_tables_have_scoped_headers_and_appendix_cells_name_theirs(built, tree):
    pack = built[0].pack
    root, _ = tree
    tables = [n for n in walk(root) if n["role"] == "Table"]
    ths = {}
    for t in tables:
        cells = [c for tr in t["kids"] for c in tr["kids"]]
        assert all(tr["role"] == "TR" for tr in t["kids"])
        heads = [c for c in cells if c["role"] == "TH"]
        assert heads and all(str(c["el"].A.Scope) in ("/Column", "/Row") for c in heads)
        for c in heads:
            if "/ID" in c["el"]:
                ths[str(c["el"].ID)] = squash(c["text"])
    appendix = tables[-len(pack.appendix):]
    for t, model in zip(appendix, pack.appendix):
        rows = t["kids"][2:]
        top, sub = model.header_top, model.header_sub
        for tr, r in zip(rows, model.rows):
            cells = tr["kids"]
            assert [squash(c["text"]) for c in cells] == [squash(x) for x in (
                r.indicator, r.target, r.previous, r.previous_rate, r.current + r.current_mark, r.current_rate, r.source)]
            named = [[ths[str(h)] for h in c["el"].A.Headers] for c in cells[1:]]
            ind = squash(r.indicator)
            assert named == [[squash(x) for x in hs] + [ind] for hs in (
                (top[1],), (top[2], sub[0]), (top[2], sub[1]), (top[3], sub[2]), (top[3], sub[3]), (top[4],))]
        kpi = t["kids"][-1]["kids"]
        assert squash(kpi[0]["text"]) == squash(model.kpi_row.label)
        assert [ths[str(h)] for h in kpi[2]["el"].A.Headers] == [squash(top[3]), squash(sub[2]), squash(sub[3]), squash(model.kpi_row.label)]
        assert squash(kpi[2]["text"]) == squash(model.kpi_row.current)
        # Every row has the table's seven columns, counting spans.
        for tr in t["kids"][2:]:
            assert sum(int(c["el"].A.get("/ColSpan", 1)) if "/A" in c["el"] else 1 for c in tr["kids"]) == 7


def test_a_header_repeated_on_the_next_page_is_read_once():
    """A table taller than a page repeats its header rows: drawn on both pages,
    in the structure once (the repeat is an Artifact)."""
    job = prepared(AOMORI).job
    t = job.pack.appendix[0]
    long = replace(t, rows=t.rows * 12)
    data = render_pdf(replace(job, pack=replace(job.pack, appendix=(long,))))
    head = squash(t.header_sub[0])
    with pdfplumber.open(io.BytesIO(data)) as doc:
        shown, read = [], []
        for number, page in enumerate(doc.pages, 1):
            chars = page.chars
            text = squash("".join(c["text"] for c in chars))
            tagged = squash("".join(c["text"] for c in chars if c.get("mcid") is not None))
            shown.append(text.count(head))
            read.append(tagged.count(head))
    assert sum(1 for n in shown if n) >= 2  # the header is drawn on each page of the table

    assert sum(read) == 1  # and read once, on the first
    pdfobj = pikepdf.open(io.BytesIO(data))
    heads = [el for el in pdfobj.objects if isinstance(el, pikepdf.Dictionary) and el.get("/S") == "/TH"
             and "/ID" in el and "/Headers" not in el.get("/A", {}) and el.A.Scope == "/Column"]
    assert heads and all(isinstance(el.K, int) for el in heads)  # each header cell: one piece of content


def test_pdfa_identification_metadata_and_output_intent(built):
    pdf = pikepdf.open(io.BytesIO(built[1]))
    assert not pdf.is_encrypted
    meta = pdf.open_metadata()
    assert meta.pdfa_status == "2A"
    assert meta["pdfuaid:part"] == "1"
    info = pdf.docinfo
    # The XMP says what the Info dictionary says.
    assert meta["dc:title"] == str(info.Title)
    assert meta["dc:creator"] == [str(info.Author)]
    assert meta["dc:description"] == str(info.Subject)
    assert meta["pdf:Keywords"] == str(info.Keywords)
    assert meta["pdf:Producer"] == str(info.Producer)
    assert meta["xmp:CreatorTool"] == str(info.Creator)
    assert meta["dc:language"] == {str(pdf.Root.Lang)}
    for xmp_key, info_key in (("xmp:CreateDate", "/CreationDate"), ("xmp:ModifyDate", "/ModDate")):
        assert pikepdf.models.metadata.decode_pdf_date(str(info[info_key])) == datetime.datetime.fromisoformat(meta[xmp_key])
    assert "/Filter" not in pdf.Root.Metadata  # readable without decoding, as PDF/A asks
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1"
    profile = intent.DestOutputProfile
    assert int(profile.N) == 3
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(io.BytesIO(profile.read_bytes()))
    assert icc.profile.xcolor_space.strip() == "RGB" and icc.profile.device_class == "mntr"


def test_pdfa_no_external_content_and_fonts_embedded(built):
    pdf = pikepdf.open(io.BytesIO(built[1]))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary):
            assert "/JavaScript" not in obj and "/JS" not in obj and "/Launch" != obj.get("/S")
            assert obj.get("/S") not in ("/GoToR", "/Launch", "/ImportData")
            assert "/EmbeddedFiles" not in obj
        if isinstance(obj, pikepdf.Stream):
            assert "/F" not in obj.stream_dict  # no stream data outside the file
            assert obj.get("/Filter") != "/LZWDecode"
    fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
    assert fonts
    for f in fonts:
        assert "/FontFile2" in f.FontDescriptor and "/ToUnicode" in f, f.get("/BaseFont")


def test_tagging_leaves_every_page_as_it_was(built, tmp_path):
    """Pages drawn with and without the structure are the same pictures."""
    for name, data in (("tagged", built[1]), ("plain", built[2])):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "72", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)
    tagged, plain = sorted(tmp_path.glob("tagged-*.png")), sorted(tmp_path.glob("plain-*.png"))
    assert len(tagged) == len(plain) > 10
    assert [p.read_bytes() for p in tagged] == [p.read_bytes() for p in plain]
    assert b"StructTreeRoot" not in built[2]  # the comparison is with an untagged file


def test_a_figures_triangle_is_spelt_out():
    """▲ in a chart's description is read as マイナス (the shipped charts have none)."""
    job = prepared(AOMORI).job
    d = job.pack.dashboards[0]
    chart = replace(d.chart, alt=d.chart.alt + "前期差 ▲1.2ポイント。")
    pack = replace(job.pack, dashboards=(replace(d, chart=chart),) + job.pack.dashboards[1:])
    data = render_pdf(replace(job, pack=pack))
    doc = pikepdf.open(io.BytesIO(data))
    alts = [str(o.Alt) for o in doc.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"]
    assert any(a.endswith("前期差 マイナス1.2ポイント。") for a in alts)
    assert not any("▲" in a for a in alts)


def test_pdfa2_open_check_finds_nothing(built):
    """Our open PDF/A-2a check (tests/pdfa.py) and qpdf's syntax check pass."""
    assert pdfa.syntax_problems(pikepdf.open(io.BytesIO(built[1]))) == []
    assert pdfa.problems(built[1]) == []


@pytest.fixture(scope="module")
def aomori_tagged() -> bytes:
    return render_pdf(prepared(AOMORI).job)


def _changed(data: bytes, change) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    change(pdf)
    out = io.BytesIO()
    # The XMP and every stream as changed, not rewritten by the save.
    pdf.save(out, static_id=True, fix_metadata_version=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _xmp_replace(old: bytes, new: bytes):
    def change(pdf):
        raw = pdf.Root.Metadata.read_bytes()
        assert old in raw
        pdf.Root.Metadata.write(raw.replace(old, new))
    return change


def _first_font(pdf):
    return next(f for page in pdf.pages for f in page.Resources.Font.values())


@pytest.mark.parametrize("change, clause", [
    (lambda pdf: None, None),  # saved again by pikepdf: still nothing to report
    (lambda pdf: pdf.Root.__delitem__("/OutputIntents"), "6.2.3"),
    (_xmp_replace(b"<pdfaid:conformance>A<", b"<pdfaid:conformance>B<"), "6.6.4"),
    (_xmp_replace(b"<pdfuaid:part>1<", b"<pdfuaid:part>2<"), "PDF/UA-1"),
    (_xmp_replace(b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>", b""), "6.6.2.3.2"),
    (_xmp_replace(b"http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>", b"urn:x</pdfaSchema:namespaceURI>"), "6.6.2.3.1"),
    (lambda pdf: setattr(pdf.docinfo, "Title", pikepdf.String("another title")), "6.6.3"),
    (lambda pdf: setattr(pdf.docinfo, "ModDate", pikepdf.String("D:20260101000000+09'00'")), "6.6.3"),
    (_xmp_replace(b"<dc:language><rdf:Bag><rdf:li>ja-JP<", b"<dc:language><rdf:Bag><rdf:li>en<"), "dc:language"),
    (_xmp_replace(b"<x:xmpmeta", b"<x:xmpmeta <"), "does not parse"),
    (lambda pdf: _first_font(pdf).__delitem__("/ToUnicode"), "6.2.11.7.2"),
    (lambda pdf: _first_font(pdf).FontDescriptor.__delitem__("/FontFile2"), "6.2.11.4.1"),
    (lambda pdf: _first_font(pdf).Widths.__setitem__(40, 3), "6.2.11.5"),
    (lambda pdf: _first_font(pdf).__setitem__("/Encoding", pikepdf.Name.WinAnsiEncoding), "6.2.11.6"),
    (lambda pdf: pdf.Root.__setitem__("/OpenAction", pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))), "6.6.1"),
    (lambda pdf: pdf.Root.__setitem__("/OpenAction", pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("x.exe"))), "6.6.1"),
    (lambda pdf: pdf.attachments.__setitem__("x.txt", pikepdf.AttachedFileSpec(pdf, b"x")), "6.8"),
    (lambda pdf: pdf.pages[1].contents_add(pikepdf.Stream(pdf, b"0 0 0 1 k"), prepend=True), "6.2.4.3"),
    (lambda pdf: pdf.Root.__setitem__("/MarkInfo", pikepdf.Dictionary(Marked=False)), "6.7.2.2"),
    # (A compressed XMP stream is not among these: qpdf writes metadata uncompressed whatever it is given.)
])
def test_the_open_pdfa_check_can_fail(aomori_tagged, change, clause):
    """Each provision the check states is found broken when it is."""
    found = pdfa.problems(_changed(aomori_tagged, change))
    if clause is None:
        assert found == []
    else:
        assert any(clause in f for f in found), found


def test_an_encrypted_file_is_no_pdfa():
    data = render_pdf(prepared(SAMPLE).job)
    pdf = pikepdf.open(io.BytesIO(data))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="", R=4), static_id=True)
    assert any("encrypted" in f for f in pdfa.problems(out.getvalue()))


def test_the_reportlab_internals_the_tagging_relies_on_still_hold():
    """reportlab has no tagged-PDF API: pdf_tags reaches past its public API in
    one small adapter. If an upgrade moves what it uses, this says what, instead
    of a build writing a broken structure tree."""
    import reportlab

    from dxreport.render import pdf_tags

    assert pdf_tags.reportlab_problems() == [], f"reportlab {reportlab.Version}"


def test_the_reportlab_check_can_fail(monkeypatch):
    from reportlab.pdfbase.pdfdoc import PDFPage
    from reportlab.pdfgen.canvas import Canvas

    from dxreport.render import pdf_tags

    monkeypatch.setattr(Canvas, "_annotatePage", lambda self, name: None)  # annotations no longer recorded there
    monkeypatch.setattr(PDFPage, "__NoDefault__", "Parent MediaBox")  # keys no longer a list
    found = pdf_tags.reportlab_problems()
    assert any("_annotationrefs" in f for f in found) and any("PDFPage.__NoDefault__" in f for f in found), found


def test_the_syntax_check_finds_a_damaged_file(aomori_tagged):
    """qpdf's check (through pdfa.problems) reports a wrong stream length and a
    wrong cross-reference offset: the file's own bytes, not only its objects."""
    m = re.search(rb"/Length (\d+)", aomori_tagged)
    wrong_length = aomori_tagged[:m.start(1)] + str(int(m.group(1)) + 5).encode() + aomori_tagged[m.end(1):]
    assert any("syntax (qpdf)" in f and "endstream" in f for f in pdfa.problems(wrong_length))
    wrong_xref = aomori_tagged.replace(b"startxref\n", b"startxref\n1")
    assert any("syntax (qpdf)" in f and "xref" in f for f in pdfa.problems(wrong_xref))
    trailing = aomori_tagged + b"more"
    assert any("6.1.3" in f for f in pdfa.problems(trailing))

"""No input crashes the program (issue 8): generated datasets — any text, any figure —
either build with every string in every output or stop with a validation message
naming the file (exit status 2, nothing written); never a traceback."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dxreport.typeset import fonts
from dxreport.errors import DatasetError

from conftest import SAMPLE, build_pack, edit_yaml, run
from test_unusual import PERIOD, missing_strings

# Few examples keep the suite fast; DXREPORT_EXAMPLES=200 searches deeper.
EXAMPLES = int(os.environ.get("DXREPORT_EXAMPLES", "8"))

PLAN, CURRENT, PREVIOUS = "plan.yaml", f"periods/{PERIOD}.yaml", "periods/2025-09.yaml"

# Where a generated text goes: (file, path inside it). Every one is printed by the pack.
SLOTS = {
    "plan name": (PLAN, ("plan", "name")),
    "basic target name": (PLAN, ("basic_targets", 1, "name")),
    "basic target detail": (PLAN, ("basic_targets", 0, "detail")),
    "basic target source": (PLAN, ("basic_targets", 2, "source")),
    "field name": (PLAN, ("fields", 2, "name")),
    "KPI name": (PLAN, ("fields", 0, "kpis", 1, "name")),
    "KPI label": (PLAN, ("fields", 1, "kpis", 0, "label")),
    "KPI components": (PLAN, ("fields", 3, "kpis", 0, "components")),
    "indicator name": (PLAN, ("fields", 0, "kpis", 0, "indicators", 2, "name")),
    "indicator source": (PLAN, ("fields", 1, "kpis", 2, "indicators", 0, "source")),
    "value note": (CURRENT, ("values", "telework", "note")),
    "previous note": (PREVIOUS, ("values", "snow-map", "note")),
    "notice body": (CURRENT, ("notice", "body", 1)),
    "notice contact": (CURRENT, ("notice", "contact")),
    "update": (CURRENT, ("notice", "updates", 0)),
    "case title": (CURRENT, ("cases", "industry", 1, "title")),
    "case bullet": (CURRENT, ("cases", "living", 0, "bullets", 1)),
    "box line": (CURRENT, ("cases", "admin", 0, "box", "lines", 0)),
}

COVERED = sorted(chr(c) for c in fonts.coverage() if c > 0x20)
LONG = ("県内の事業者を対象に、クラウドやIoTの導入を支援した。<b>&amp;\"'{{ x }}%s " * 100)[:5000]
SPECIAL = [
    LONG,
    "<script>alert('x')</script> & \"引用\" 'single' {{ name }} {% if %} %d %% ${x}",
    "]]><!-- --> &lt; &#x41; \\n \\\\ `code` *強調* _下線_ [リンク](http://x)",
    "絵文字😀入り",
    "👨‍👩‍👧‍👦🇯🇵",
    "制御\x07文字",
    "改行\r復帰",
    "サロゲート\ud800単独",
    "\udfff",
    "ゼロ幅\u200bスペース",
    "右から左\u202e文字",
    "（（（（「「「『『",
    "）、。」』！？" * 20,
    "https://example.jp/" + "a" * 300,
    "1" * 200,
    "－▲±%",
    "é combining e\u0301",
]

texts = st.one_of(
    st.text(st.sampled_from(COVERED), min_size=1, max_size=60),  # anything the fonts can print
    st.text(st.characters(codec=None), min_size=1, max_size=20),  # any code point, surrogates included
    st.sampled_from(SPECIAL),
)


def settle(plan_edits: dict, period_edits: dict[str, dict]) -> Path:
    """A copy of the sample with the given values set at the given paths."""
    root = Path(tempfile.mkdtemp(prefix="robust-")) / "sample"
    shutil.copytree(SAMPLE, root)
    for name, edits in [(PLAN, plan_edits), *period_edits.items()]:
        if not edits:
            continue

        def change(d, edits=edits):
            for path, value in edits.items():
                node = d
                for key in path[:-1]:
                    node = node[key]
                node[path[-1]] = value

        edit_yaml(root / name, change)
    return root


def by_file(chosen: dict[str, str]) -> tuple[dict, dict]:
    plan, periods = {}, {}
    for slot, text in chosen.items():
        name, path = SLOTS[slot]
        (plan if name == PLAN else periods.setdefault(name, {}))[path] = text
    return plan, periods


def assert_rejected(err: DatasetError, out: Path) -> None:
    assert err.problems
    for p in err.problems:
        assert Path(p.file).name in ("plan.yaml", f"{PERIOD}.yaml", "2025-09.yaml"), str(p)
        assert p.message
        str(p).encode("utf-8")  # the message itself can be printed
    assert not out.exists()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(st.sampled_from(sorted(SLOTS)), texts, min_size=1, max_size=3))
def test_any_text_is_printed_or_rejected(chosen):
    root = settle(*by_file(chosen))
    out = root.parent / "out"
    try:
        try:
            build_pack(str(root), PERIOD, out)
        except DatasetError as err:
            event("rejected")
            assert_rejected(err, out)
            return
        event("built")
        missing = missing_strings(root, out, list(chosen.values()))
        assert not any(missing.values()), missing
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


figures = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**6, max_value=10**7),
    st.decimals(allow_nan=False, allow_infinity=False),  # any size and precision, negatives too
    st.sampled_from(["0", "-0.0", "1e-30", "0.000000000000000000000000000001", "999999999999999.9999",
                     "1000000000000000", "1e400", "-1e400", "123456789012345678901234567890.5", "~"]),
)


def literal(x) -> str:
    """A figure as it is typed in YAML (a plain number, never quoted)."""
    if isinstance(x, str):
        return x
    plain = format(x, "f")
    return plain if len(plain) <= 400 else str(x)  # 1E+999999 rather than a million zeros


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(target=figures, value=figures, previous=figures, year=figures)
def test_any_figure_is_computed_or_rejected(target, value, previous, year):
    root = settle({("fields", 0, "kpis", 0, "indicators", 0, "target"): "@T@"},
                  {CURRENT: {("values", "dx-consult", "value"): "@V@", ("basic_targets", "productivity", "years", 2024): "@Y@"},
                   PREVIOUS: {("values", "dx-consult", "value"): "@P@"}})
    for name, marks in ((PLAN, {"@T@": target}), (CURRENT, {"@V@": value, "@Y@": year}), (PREVIOUS, {"@P@": previous})):
        f = root / name
        text = f.read_text(encoding="utf-8")
        for mark, x in marks.items():
            assert mark in text
            text = text.replace(mark, literal(x))
        f.write_text(text, encoding="utf-8")
    out = root.parent / "out"
    try:
        try:
            build_pack(str(root), PERIOD, out)
        except DatasetError as err:
            event("rejected")
            assert_rejected(err, out)
            return
        event("built")
        assert (out / f"dxreport-{PERIOD}.pdf").stat().st_size > 0
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


# ---------------------------------------------------------------- the command a user runs

BAD = ["サロゲート\ud800", "\udc80", "制御\x1b[31m文字", "NUL\x00", "絵文字😀"]


@settings(max_examples=max(EXAMPLES // 2, 1), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(sorted(SLOTS)), st.sampled_from(BAD), st.booleans())
def test_command_reports_bad_text_with_status_2(slot, text, raw):
    """Through the real command: ``error: FILE:LINE: ...`` lines, status 2, no traceback,
    nothing written — whether a surrogate is typed as a \\ud800 escape or as raw bytes."""
    name, path = SLOTS[slot]
    root = settle(*by_file({slot: "@X@"}))
    f = root / name
    source = f.read_text(encoding="utf-8")
    if raw:  # the bytes as they are (a lone surrogate is then not UTF-8 at all)
        f.write_bytes(source.replace("@X@", '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
                      .encode("utf-8", "surrogatepass"))
    else:  # written by a YAML library, which escapes what it cannot write
        edit_yaml(f, lambda d: _set(d, path, text))
    out = root.parent / "out"
    try:
        result = run("build", str(root), "--out", str(out))
        assert result.returncode == 2, (result.returncode, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        lines = result.stderr.splitlines()
        assert lines and all(x.startswith("error: ") for x in lines), lines
        assert all(name.split("/")[-1] in x for x in lines), lines
        assert not out.exists()
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


def _set(d, path, value) -> None:
    for key in path[:-1]:
        d = d[key]
    d[path[-1]] = value


# ---------------------------------------------------------------- regressions found by the above


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    dest = tmp_path / "sample"
    shutil.copytree(SAMPLE, dest)
    return dest


def test_lone_surrogate_is_reported_as_a_control_character(sample, tmp_path):
    edit_yaml(sample / "plan.yaml", lambda d: d["plan"].__setitem__("name", "計画\ud800"))
    with pytest.raises(DatasetError) as e:
        build_pack(str(sample), PERIOD, tmp_path / "out")
    (p,) = e.value.problems
    assert (Path(p.file).name, p.line, p.field) == ("plan.yaml", 5, "plan.name")
    assert "control character(s) U+D800" in p.message


def test_emoji_is_reported_as_a_missing_glyph(sample, tmp_path):
    edit_yaml(sample / "periods" / f"{PERIOD}.yaml", lambda d: d["cases"]["industry"][0].__setitem__("title", "事例😀"))
    with pytest.raises(DatasetError) as e:
        build_pack(str(sample), PERIOD, tmp_path / "out")
    (p,) = e.value.problems
    assert p.field == "cases.industry.0.title" and "U+1F600" in p.message and "no glyph" in p.message


@pytest.mark.parametrize("figure", ["1e400", "1000000000000000", "-123456789012345678901234567890.5"])
def test_huge_figure_is_rejected_not_a_crash(sample, tmp_path, figure):
    f = sample / "periods" / f"{PERIOD}.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("dx-consult: {value: 268,", f"dx-consult: {{value: {figure},"), encoding="utf-8")
    with pytest.raises(DatasetError) as e:
        build_pack(str(sample), PERIOD, tmp_path / "out")
    (p,) = e.value.problems
    assert p.field == "values.dx-consult.value" and "too large" in p.message


def test_tiny_and_largest_figures_build(sample, tmp_path):
    f = sample / "periods" / f"{PERIOD}.yaml"
    text = f.read_text(encoding="utf-8")
    text = text.replace("dx-consult: {value: 268,", "dx-consult: {value: 999999999999999.9999,")
    text = text.replace("dx-hr-share: {value: 37.4,", "dx-hr-share: {value: 0.000000000000000000000000000001,")
    f.write_text(text, encoding="utf-8")
    build_pack(str(sample), PERIOD, tmp_path / "out")
    missing = missing_strings(sample, tmp_path / "out", ["1,000,000,000,000,000件"])
    assert not missing["pdf"], missing


def test_5000_character_texts_in_table_headers_and_word_properties(sample, tmp_path):
    """A field name taller than a page in the framework table's repeated header, and a
    plan name longer than Word's 255-character document title."""
    long = ("産業・しごと・観光・交流・文化・スポーツ、" * 250)[:5000]
    edit_yaml(sample / "plan.yaml", lambda d: (d["plan"].__setitem__("name", long), d["fields"][0].__setitem__("name", long)))
    out = build_pack(str(sample), PERIOD, tmp_path / "out")
    assert out
    missing = missing_strings(sample, tmp_path / "out", [long])
    assert not any(missing.values()), missing


def test_tab_is_drawn_as_a_space_not_a_missing_glyph(sample, tmp_path):
    """Tabs pass the glyph check as layout characters; the PDF and its charts must then
    lay them out as spaces, not draw the font's .notdef box (extracted as U+0000)."""
    import pdfplumber

    edit_yaml(sample / "periods" / f"{PERIOD}.yaml", lambda d: d["cases"]["industry"][0].__setitem__("title", "タブ\t区切り"))
    edit_yaml(sample / "plan.yaml", lambda d: d["fields"][0]["kpis"][0].__setitem__("label", "県内企業の\tDX推進状況"))
    build_pack(str(sample), PERIOD, tmp_path / "out")
    with pdfplumber.open(tmp_path / "out" / f"dxreport-{PERIOD}.pdf") as pdf:
        drawn = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "\x00" not in drawn and "\t" not in drawn
    assert "タブ区切り" in drawn.replace(" ", "")


def test_characters_beyond_the_bmp_can_be_copied_from_the_pdf(sample, tmp_path):
    """𨿸 (U+28FF8) has a glyph; the PDF's ToUnicode map must give it back as itself."""
    text = "部品𨿸の製造"
    assert ord("𨿸") in fonts.coverage()
    edit_yaml(sample / "plan.yaml", lambda d: d["fields"][3]["kpis"][0].__setitem__("components", text))
    build_pack(str(sample), PERIOD, tmp_path / "out")
    missing = missing_strings(sample, tmp_path / "out", [text])
    assert not any(missing.values()), missing

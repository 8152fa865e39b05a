"""Hostile and unusual input (issue 20): every case is refused by validation with
exit status 2 and a message naming the file, line and field, the previous pack
untouched and nothing left beside it, or, where the input is valid, built."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, edit_yaml, pdf_text, run

PERIOD = "2026-03"
LATEST = f"periods/{PERIOD}.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous_pack(tmp_path_factory) -> Path:
    """A good pack that every refused build below is pointed at, and must leave as it was."""
    out = tmp_path_factory.mktemp("previous") / "pack"
    result = run("build", str(SAMPLE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    dest = tmp_path / "sample"
    shutil.copytree(SAMPLE, dest)
    return dest


def write(path: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` once; returns the 1-based line where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def append(path: Path, text: str) -> int:
    """Add ``text`` at the end of the file; returns the line it starts on."""
    old = path.read_text(encoding="utf-8")
    if not old.endswith("\n"):
        old += "\n"
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def refused(ds: Path, pack: Path, where: str, *says: str, period: str | None = None) -> list[str]:
    """``validate`` and ``build`` (of ``period``, default the latest) both exit 2 without a
    traceback, with an ``error:`` line holding ``where`` (FILE:LINE: FIELD) and every one of
    ``says``; the previous pack is unchanged and no staging folder is left beside it."""
    before = snapshot(pack)
    for command in ("validate", "build"):
        args = (command, str(ds))
        if command == "build":
            args += ("--out", str(pack)) + (("--period", period) if period else ())
        result = run(*args)
        assert result.returncode == 2, (command, result.returncode, result.stderr[-3000:])
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-3000:]
        errors = [x for x in result.stderr.splitlines() if x.startswith("error: ")]
        assert all(len(x) < 2000 for x in errors)  # a value quoted in a message is cut short
        match = [x for x in errors if where in x and all(s in x for s in says)]
        assert match, (where, says, errors[:10])
    assert snapshot(pack) == before
    assert sorted(p.name for p in pack.parent.iterdir()) == [pack.name]  # no staging left
    return errors


def at(name: str, line: int, field: str = "") -> str:
    return f"/{name}:{line}: {field}: " if field else f"/{name}:{line}: "


# ---------------------------------------------------------------- 2: numbers in text fields


def test_phone_and_extension_typed_without_quotes_keep_their_zeros(sample):
    from dxreport.compute.figures import compute
    from dxreport.model.assemble import build
    from dxreport.source import dataset

    period = sample / LATEST
    write(period, "phone: 000-000-0000", "phone: 0120123456")
    write(period, 'extension: "0000"', "extension: 0042")
    write(period, "group: DX推進グループ", "group: 1_000")
    assert run("validate", str(sample)).returncode == 0
    ds, chosen = dataset.load(str(sample))
    notice = ds.period(chosen).notice
    assert (notice.phone, notice.extension, notice.group) == ("0120123456", "0042", "1_000")
    lines = [line for row in build(compute(ds, chosen), ds.root).notice.contact for line in row.lines]
    assert "直通 0120123456" in lines and "内線 0042" in lines


def test_a_number_in_a_number_field_is_still_a_number(sample):
    from dxreport.source import dataset

    write(sample / LATEST, "dx-consult: {value: 268,", "dx-consult: {value: 0268,")
    ds, chosen = dataset.load(str(sample))
    value = ds.period(chosen).values["dx-consult"].value
    assert value == 268 and str(value) == "268"


# ---------------------------------------------------------------- 3: nesting


@pytest.mark.parametrize("depth", [600, 30_000])
def test_deeply_nested_flow_collections(sample, previous_pack, depth):
    line = append(sample / LATEST, "deep: " + "[" * depth + "]" * depth + "\n")
    refused(sample, previous_pack, at(LATEST, line, "deep." + ".".join(["0"] * 19)), "nested more than 20 levels deep")


def test_deeply_nested_block_collections(sample, previous_pack):
    line = append(sample / LATEST, "deep:\n" + "".join("  " * n + "- \n" for n in range(1, 40)) + "  " * 40 + "- x\n")
    refused(sample, previous_pack, at(LATEST, line + 20), "nested more than 20 levels deep")


def test_deeply_nested_mappings(sample, previous_pack):
    line = append(sample / LATEST, "deep: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n")
    refused(sample, previous_pack, at(LATEST, line, "deep" + ".a" * 19), "nested more than 20 levels deep")


# ---------------------------------------------------------------- 4: aliases


def test_billion_laughs(sample, previous_pack):
    bomb = ["lol:", '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        bomb.append(f"  {name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    line = append(sample / LATEST, "\n".join(bomb) + "\n")
    refused(sample, previous_pack, at(LATEST, line + 4, "lol.d.7"), "aliases", "repeat more than 10,000 values")


def test_recursive_alias(sample, previous_pack):
    line = append(sample / LATEST, "g: &g [1, *g]\n")
    refused(sample, previous_pack, at(LATEST, line, "g.1"), "the alias *g refers to the value it is part of")


def test_undefined_alias(sample, previous_pack):
    line = write(sample / LATEST, "  contact: 主幹 見本 太郎", "  contact: *nobody")
    refused(sample, previous_pack, at(LATEST, line, "notice.contact"), "undefined alias 'nobody'")


# ---------------------------------------------------------------- 5: scalars YAML cannot build


@pytest.mark.parametrize(("typed", "says"), [
    ("2026-02-30", "'2026-02-30' is not a date (day is out of range for month); write a date as YYYY-MM-DD"),
    ("!!int abc", "'abc' is not an integer"),
    ("!!bool maybe", "'maybe' is not true or false"),
    ("!!timestamp 2026-13-45", "'2026-13-45' is not a date (month must be in 1..12)"),
    ("!!timestamp soon", "'soon' is not a date; write a date as YYYY-MM-DD"),
])
def test_scalars_their_type_cannot_read(sample, previous_pack, typed, says):
    line = write(sample / LATEST, "  date: 2026-05-19", f"  date: {typed}")
    refused(sample, previous_pack, at(LATEST, line, "notice.date"), says)


def test_every_unreadable_scalar_is_reported_at_once(sample, previous_pack):
    period = sample / LATEST
    first = write(period, "  date: 2026-05-19", "  date: 2026-02-30")
    second = write(period, "  dx-consult: {value: 268,", "  dx-consult: {value: !!int x,")
    errors = refused(sample, previous_pack, at(LATEST, first, "notice.date"), "not a date")
    assert any(at(LATEST, second, "values.dx-consult.value") in x and "'x' is not an integer" in x for x in errors)


# ---------------------------------------------------------------- 6: what would make the build huge or slow


@pytest.mark.parametrize("year", ["20025", "20255", "1900"])
def test_a_basic_target_year_outside_the_sane_range(sample, previous_pack, year):
    line = write(sample / LATEST, "      2024: 7318", f"      {year}: 7318")
    refused(sample, previous_pack, at(LATEST, line, f"basic_targets.productivity.years.{year}"), f"the year {year} is outside 1989–2100")


def test_a_notice_date_before_the_eras(sample, previous_pack):
    line = write(sample / LATEST, "  date: 2026-05-19", "  date: 1925-05-19")
    refused(sample, previous_pack, at(LATEST, line, "notice.date"), "the date 1925-05-19 is outside the years 1989–2100")


def test_a_period_before_the_eras(sample, previous_pack):
    first = sample / "periods" / "2025-03.yaml"
    line = write(first, "period: 2025-03", "period: 1900-03")
    first.rename(sample / "periods" / "1900-03.yaml")
    write(sample / "periods" / "2025-09.yaml", "previous: 2025-03", "previous: 1900-03")
    refused(sample, previous_pack, at("periods/1900-03.yaml", line, "period"), "the period 1900-03 is outside the years 1989–2100",
            period="1900-03")


def test_a_10_mb_string(sample, previous_pack):
    line = append(sample / LATEST, 'note: "' + "あ" * (10 * 2**20 // 3) + '"\n')
    refused(sample, previous_pack, at(LATEST, line), "the file is larger than 1 MB from this line on")


def test_a_long_text_under_the_file_limit(sample, previous_pack):
    line = write(sample / LATEST, "  contact: 主幹 見本 太郎", "  contact: " + "長" * 20_000)
    refused(sample, previous_pack, at(LATEST, line, "notice.contact"), "a text of 20,000 characters; at most 10,000")


def test_too_many_items_in_a_list(sample, previous_pack):
    def change(d):
        d["notice"]["body"] = [f"段落{n}" for n in range(31)]

    edit_yaml(sample / LATEST, change)
    line = next(n for n, x in enumerate((sample / LATEST).read_text(encoding="utf-8").splitlines(), 1) if x.startswith("  body:"))
    refused(sample, previous_pack, at(LATEST, line, "notice.body"), "31 items; at most 30")


def test_too_many_indicators_in_a_plan(sample, previous_pack):
    def change(d):
        template = dict(d["fields"][0]["kpis"][0]["indicators"][0])
        for f in d["fields"]:  # 4 fields × 5 KPIs × 30 indicators: every list within its limit
            kpi = dict(f["kpis"][0])
            f["kpis"] = [dict(kpi, id=f"{f['id']}-{m}", indicators=[dict(template, id=f"{f['id']}-{m}-{n}") for n in range(30)])
                         for m in range(5)]

    edit_yaml(sample / "plan.yaml", change)
    refused(sample, previous_pack, "/plan.yaml:", "the plan has 600 indicators; at most 500")


def test_an_oversized_file_is_refused_before_it_is_parsed(sample, previous_pack):
    (sample / LATEST).write_bytes(b"x: [" + b"1, " * 400_000 + b"1]\n")
    refused(sample, previous_pack, at(LATEST, 1), "the file is larger than 1 MB")


# ---------------------------------------------------------------- 7: images


def _image_case(ds: Path, name: str, data: bytes) -> int:
    (ds / "images" / name).write_bytes(data)
    return write(ds / LATEST, "image: images/case-1.png", f"image: images/{name}")


def test_a_truncated_png(sample, previous_pack):
    data = (SAMPLE / "images" / "case-1.png").read_bytes()
    line = _image_case(sample, "cut.png", data[: len(data) * 2 // 3])
    refused(sample, previous_pack, at(LATEST, line, "cases.living.0.image"), "'images/cut.png' is damaged or cut short")


def test_a_png_with_damaged_image_data(sample, previous_pack):
    data = bytearray((SAMPLE / "images" / "case-1.png").read_bytes())
    idat = data.index(b"IDAT")
    data[idat + 40] ^= 0xFF  # the checksum no longer matches, and the stream no longer inflates
    line = _image_case(sample, "damaged.png", bytes(data))
    refused(sample, previous_pack, at(LATEST, line, "cases.living.0.image"), "'images/damaged.png' is damaged")


def test_a_truncated_jpeg(sample, previous_pack):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(buf, "JPEG")
    line = _image_case(sample, "cut.jpg", buf.getvalue()[: buf.tell() // 2])
    refused(sample, previous_pack, at(LATEST, line, "cases.living.0.image"), "'images/cut.jpg' is damaged or cut short")


def test_a_cmyk_jpeg(sample, previous_pack):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("CMYK", (400, 300), (0, 128, 255, 0)).save(buf, "JPEG")
    line = _image_case(sample, "print.jpg", buf.getvalue())
    refused(sample, previous_pack, at(LATEST, line, "cases.living.0.image"), "'images/print.jpg' is a CMYK JPEG (print colours)",
            "save it as an RGB JPEG")


def _flat_png(width: int, height: int) -> bytes:
    """A greyscale PNG written row by row: no 100 MB of pixels in this process."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    z = zlib.compressobj(9)
    row = b"\x00" + b"\xc8" * width
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def test_a_10000_pixel_png_within_the_limit_is_valid(sample):
    _image_case(sample, "large.png", _flat_png(10_000, 10_000))
    result = run("validate", str(sample))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_png_beyond_the_limit(sample, previous_pack):
    line = _image_case(sample, "wide.png", _flat_png(10_001, 20))
    refused(sample, previous_pack, at(LATEST, line, "cases.living.0.image"), "is 10001×20 pixels; at most 10,000 on a side")


# ---------------------------------------------------------------- 8: optional parts of the schema


def test_a_notice_without_updates_builds(sample, tmp_path):
    edit_yaml(sample / LATEST, lambda d: d["notice"].pop("updates"))
    result = run("build", str(sample), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "基本目標の更新" not in pdf_text(tmp_path / "out" / f"dxreport-{PERIOD}.pdf")


def test_a_plan_without_basic_targets_builds(sample, tmp_path):
    edit_yaml(sample / "plan.yaml", lambda d: d.pop("basic_targets"))
    for period in (sample / "periods").glob("*.yaml"):
        edit_yaml(period, lambda d: d.pop("basic_targets", None))
    result = run("build", str(sample), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / f"dxreport-{PERIOD}.docx").is_file()
    assert "ダッシュボード" in pdf_text(tmp_path / "out" / f"dxreport-{PERIOD}.pdf")


# ---------------------------------------------------------------- 10: the same bytes from any folder


def test_a_jpeg_photo_gives_the_same_pdf_from_any_folder(sample, tmp_path):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.effect_noise((320, 240), 50).convert("RGB").save(buf, "JPEG")
    _image_case(sample, "photo.jpg", buf.getvalue())
    elsewhere = tmp_path / "a" / "much" / "longer" / "folder" / "sample"
    shutil.copytree(sample, elsewhere)
    pdfs = []
    for ds, out in ((sample, tmp_path / "out1"), (elsewhere, tmp_path / "out2")):
        result = run("build", str(ds), "--out", str(out))
        assert result.returncode == 0, result.stderr
        pdfs.append((out / f"dxreport-{PERIOD}.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]
    assert str(sample).encode() not in pdfs[0]


# ---------------------------------------------------------------- 11: SIGTERM


SIGTERM_WHILE_STAGING = textwrap.dedent("""
    import os, signal, sys
    from dxreport.build import output
    from dxreport import cli

    real, calls = os.fsync, []

    def fsync(fd):  # a logout or a CI timeout, once the first files are staged
        calls.append(fd)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGTERM)
        real(fd)

    output.os.fsync = fsync
    sys.argv = ["dxreport", *sys.argv[1:]]
    cli.run()
""")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_while_staging_leaves_the_previous_pack(previous_pack, jobs):
    before = snapshot(previous_pack)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-c", SIGTERM_WHILE_STAGING, "build", str(SAMPLE), "--jobs", jobs, "--out", str(previous_pack)],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr[-2000:]
    assert "terminated; nothing was written" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(previous_pack) == before
    assert sorted(p.name for p in previous_pack.parent.iterdir()) == [previous_pack.name]


def test_sigterm_from_outside_stops_the_build_and_its_helper(tmp_path):
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "dxreport", "build", str(SAMPLE), "--jobs", "2", "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        import time

        time.sleep(1.0)  # reading, validating, or drawing: wherever it is, it stops cleanly
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    if proc.returncode == 0:
        pytest.skip("the build finished before the signal")
    assert proc.returncode == 128 + signal.SIGTERM, err[-2000:]
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# ---------------------------------------------------------------- 12: merge keys


def test_a_merge_key_overridden_by_the_mapping_itself(sample):
    from dxreport.source import dataset

    period = sample / LATEST
    write(period, "      box:\n        title: 【デジタルラボ 概要】", "      box: &lab\n        title: 【デジタルラボ 概要】")
    write(period, "    - title: 全職員を対象とした生成AI活用研修を開催\n",
          "    - title: 全職員を対象とした生成AI活用研修を開催\n      box:\n        <<: *lab\n        title: 【研修 概要】\n")
    result = run("validate", str(sample))
    assert result.returncode == 0, result.stderr
    ds, chosen = dataset.load(str(sample))
    first, second = (c.box for c in ds.period(chosen).cases["admin"][:2])
    assert second.title == "【研修 概要】" and second.lines == first.lines


def test_a_key_written_twice_is_still_a_duplicate(sample, previous_pack):
    period = sample / LATEST
    write(period, "      box:\n        title: 【デジタルラボ 概要】", "      box: &lab\n        title: 【デジタルラボ 概要】")
    line = write(period, "    - title: 全職員を対象とした生成AI活用研修を開催\n",
                 "    - title: 全職員を対象とした生成AI活用研修を開催\n      box:\n        <<: *lab\n        title: 【研修】\n        title: 【二度目】\n")
    refused(sample, previous_pack, at(LATEST, line + 4, "cases.admin.1.box.title"), 'found duplicate key "title"')


# ---------------------------------------------------------------- 13: messages that say where and what


def test_a_period_without_a_notice_is_named_by_its_real_path_and_line(sample, previous_pack):
    """Valid (a period may hold figures only), so validate accepts it; its pack cannot be built."""
    before = snapshot(previous_pack)
    edit_yaml(sample / LATEST, lambda d: d.pop("notice"))
    assert run("validate", str(sample)).returncode == 0
    result = run("build", str(sample), "--out", str(previous_pack))
    assert result.returncode == 2
    first_key = next(n for n, x in enumerate((sample / LATEST).read_text(encoding="utf-8").splitlines(), 1) if x.startswith("period:"))
    assert f"error: {sample / LATEST}:{first_key}: notice: the period has no notice" in result.stderr
    assert snapshot(previous_pack) == before


def test_a_python_tag_on_a_collection_is_named(sample, previous_pack):
    line = write(sample / LATEST, "  contact: 主幹 見本 太郎", '  contact: !!python/object/apply:os.system ["touch pwned"]')
    refused(sample, previous_pack, at(LATEST, line, "notice.contact"), "the tag !!python/object/apply:os.system is not allowed")
    assert not (ROOT / "pwned").exists()


@pytest.mark.parametrize("tag", ["!!binary aGVsbG8=", "!!set {a: 1}", "!custom x", "!!python/name:os.system"])
def test_other_tags_are_named(sample, previous_pack, tag):
    line = write(sample / LATEST, "  contact: 主幹 見本 太郎", f"  contact: {tag}")
    shown = tag.split(" ")[0]
    refused(sample, previous_pack, at(LATEST, line, "notice.contact"), f"the tag {shown} is not allowed")


def test_out_below_a_file_names_the_file(tmp_path):
    blocker = tmp_path / "report.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("build", str(SAMPLE), "--out", str(blocker / "pack"))
    assert result.returncode == 2
    assert f"error: {blocker} is a file, so {blocker / 'pack'} cannot be a folder below it" in result.stderr
    assert "File exists" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder" and sorted(tmp_path.iterdir()) == [blocker]


def test_a_text_read_as_something_else_says_so(sample, previous_pack):
    period = sample / LATEST
    line = write(period, "  group: DX推進グループ", "  group: true")
    refused(sample, previous_pack, at(LATEST, line, "notice.group"), "YAML reads this as true: write it in quotes")


def test_a_flood_of_problems_is_cut_short(sample, previous_pack):
    append(sample / LATEST, "".join(f"k{n}: 1\n" for n in range(500)))
    errors = refused(sample, previous_pack, "/2026-03.yaml:", "unknown key")
    assert len(errors) == 201 and errors[-1] == "error: … and 300 more problems, not listed: fix these first"


# ---------------------------------------------------------------- 14: nothing printed it did not mean to say


def test_a_chart_without_any_value_prints_nothing(sample, tmp_path):
    """A field whose only KPI has no value in either period: its comparison chart has
    one category and no bar (matplotlib warned that it could not lay it out)."""
    dropped = ["teacher-ict", "school-system", "online-class"]

    def plan(d):
        field = next(f for f in d["fields"] if f["id"] == "education")
        field["kpis"] = [k for k in field["kpis"] if k["id"] != "education-1"]

    def period(d):
        for ident in dropped:
            d["values"].pop(ident)
        d["values"]["digital-archive"]["value"] = None

    edit_yaml(sample / "plan.yaml", plan)
    for name in ("2025-03", "2025-09", PERIOD):
        edit_yaml(sample / "periods" / f"{name}.yaml", period)
    result = run("build", str(sample), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    unexpected = [x for x in result.stderr.splitlines() if not x.startswith(("warning: ", "proofreading: "))]
    assert unexpected == []
    assert all(x.startswith("wrote ") for x in result.stdout.splitlines())


# ---------------------------------------------------------------- any nesting, aliases and scalars


def _random_documents():
    from hypothesis import strategies as st

    scalars = st.sampled_from([
        "1", "0042", "0120123456", "-0", "1_000", "0x1F", "0o17", "1e400", ".inf", ".nan", "1.50", "9" * 5000,
        "2026-02-30", "2026-13-45", "2026-05-19", "2026-05-19 10:00:00", "1925-05-19", "20025",
        "true", "yes", "~", "null", "", "<<", "=", "\"\\ud800\"", "\"\\x07\"", "'quoted'", "\"\\N\"",
        "!!int abc", "!!bool maybe", "!!timestamp 2026-13-45", "!!float x", "!!null x", "!!str 1",
        "!!binary aGVsbG8=", "!!python/name:os.system", "!custom x", "! 12", "テキスト", "x" * 12_000,
    ])

    def collections(children):
        flow_seq = st.lists(children, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
        flow_map = st.lists(st.tuples(st.sampled_from(["a", "b", "<<", "1", "? [k]", "*x"]), children), max_size=4).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")
        anchored = st.tuples(st.sampled_from(["x", "y"]), children).map(lambda t: f"&{t[0]} {t[1]}")
        return st.one_of(flow_seq, flow_map, anchored, st.sampled_from(["*x", "*y"]))

    tree = st.recursive(scalars, collections, max_leaves=25)
    deep = st.tuples(st.integers(1, 40_000), st.sampled_from(["[", "{a: ", "- "])).map(
        lambda t: t[1] * t[0] + ("]" * t[0] if t[1] == "[" else "}" * t[0] if t[1] == "{a: " else "x"))
    bombs = st.tuples(st.integers(1, 9), st.integers(1, 12)).map(lambda t: "\n".join(
        ["l0: &l0 [" + ", ".join(["x"] * t[1]) + "]"]
        + [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * t[1]) + "]" for n in range(1, t[0])]))
    placed = st.tuples(st.sampled_from(["file", "key", "date", "value"]), st.one_of(tree, deep, bombs))
    return placed


def _place(ds: Path, where: str, doc: str) -> None:
    period = ds / LATEST
    if where == "file":
        period.write_text(doc + "\n", encoding="utf-8")
    elif where == "key":
        append(period, "extra:\n" + textwrap.indent(doc, "  ") + "\n")
    elif where == "date":
        write(period, "  date: 2026-05-19", "  date: " + doc.replace("\n", " "))
    else:
        write(period, "dx-consult: {value: 268,", "dx-consult: {value: " + doc.replace("\n", " ") + ",")


EXAMPLES = int(os.environ.get("DXREPORT_EXAMPLES", "8"))


def _each_random_document(examples: int, check_one) -> None:
    """Hypothesis's random nesting, aliases and scalars, each placed in a fresh copy
    of the sample, handed to ``check_one(root, where, doc)``."""
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_random_documents())
    def check(placed):
        where, doc = placed
        root = Path(tempfile.mkdtemp(prefix="hostile-")) / "sample"
        try:
            shutil.copytree(SAMPLE, root)
            _place(root, where, doc)
            check_one(root, where, doc)
        finally:
            shutil.rmtree(root.parent, ignore_errors=True)

    check()


def test_any_nesting_aliases_and_scalars_exit_0_or_2():
    """Through the real command: never exit 1 (a traceback), never a signal (a crash)."""
    def through_the_command(root: Path, where, doc) -> None:
        result = run("validate", str(root))
        assert result.returncode in (0, 2), (result.returncode, where, doc[:300], result.stderr[-2000:])
        assert "Traceback" not in result.stderr
        if result.returncode == 2:
            assert all(re.match(r"error: .*sample/(plan\.yaml|periods/[0-9-]+\.yaml)(:\d+)?: ", x) or x.startswith("error: … and ")
                       for x in result.stderr.splitlines()), result.stderr[-2000:]

    _each_random_document(EXAMPLES, through_the_command)


def test_any_nesting_aliases_and_scalars_in_process():
    """Many more examples without a process each: only DatasetError ever comes out of loading."""
    from dxreport.errors import DatasetError
    from dxreport.source import dataset

    def loaded(root: Path, where, doc) -> None:
        try:
            dataset.load(str(root))
        except DatasetError as e:
            assert e.problems and all(p.message for p in e.problems)

    _each_random_document(EXAMPLES * 10, loaded)

"""Japanese first for the dataset's messages (issue 16): what the YAML reader, the
schema (pydantic's errors among them) and the dataset's checks say is Japanese
by default, names the file, the line and the field, and says what to do."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE, run
from test_hostile import _flat_png, append, write
from test_messages import english_runs, japanese

LATEST = "periods/2026-03.yaml"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    dest = tmp_path / "sample"
    shutil.copytree(SAMPLE, dest)
    return dest


@pytest.fixture
def in_japanese():
    """dxreport's messages in Japanese in this process, English again afterwards."""
    from dxreport import i18n

    saved = {k: os.environ.get(k) for k in (i18n.ENV, "LANGUAGE")}
    i18n.use("ja")
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    i18n.use("en")


def _jpeg(mode: str = "RGB", size=(400, 300)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new(mode, size, (0, 128, 255, 0) if mode == "CMYK" else (0, 128, 255)).save(buf, "JPEG")
    return buf.getvalue()


def _image(ds: Path, name: str, data: bytes) -> int:
    (ds / "images" / name).write_bytes(data)
    return write(ds / LATEST, "image: images/case-1.png", f"image: images/{name}")


# (name, change to the sample's copy → (file, line), field, what the message says)
FAILING_BUILDS = [
    ("unknown key", lambda ds: (LATEST, write(ds / LATEST, "  contact: 主幹 見本 太郎", "  contac: 主幹 見本 太郎")),
     "notice.contac", "この項目名は使えません。項目名の綴りに誤りがないか確認してください。"),
    ("missing key", lambda ds: (LATEST, write(ds / LATEST, "  contact: 主幹 見本 太郎\n", "") and write(ds / LATEST, "notice:", "notice:")),
     "notice.contact", "必須の項目がありません。この項目を書き加えてください。"),
    ("full-width number", lambda ds: (LATEST, write(ds / LATEST, "dx-consult: {value: 268,", "dx-consult: {value: ３８２,")),
     "values.dx-consult.value", "「３８２」は全角の数字です。半角の数字で入力してください。"),
    ("bad id", lambda ds: (LATEST, write(ds / LATEST, "  dx-consult: {value: 268,", "  dx-consult!: {value: 268,")),
     "values.dx-consult!", "「dx-consult!」はIDに使えません。IDは半角の英字・数字と「-」「_」「.」で書き、英字か数字で始めてください。"),
    ("too long a list", lambda ds: (LATEST, write(ds / LATEST, "  body:\n", "  body:\n" + "".join(f"    - 段落{n}\n" for n in range(30)))),
     "notice.body", "個の項目があります。30個までにしてください。"),
    ("bad date", lambda ds: (LATEST, write(ds / LATEST, "  date: 2026-05-19", "  date: 2026-02-30")),
     "notice.date", "「2026-02-30」は日付として読み取れません（その月にない日です）。日付は 2026-02-04 のように「年-月-日」で入力してください。"),
    ("bad image", lambda ds: (LATEST, _image(ds, "print.jpg", _jpeg("CMYK"))),
     "cases.living.0.image", "画像「images/print.jpg」は印刷用の色（CMYK）のJPEGです。画面用の色（RGB）のJPEGで保存し直し、そのファイルを使ってください。"),
    ("wrong period name", lambda ds: (LATEST, write(ds / LATEST, "period: 2026-03", "period: 2026-04")),
     "period", "2026-04 と書かれていますが、ファイル名は 2026-03.yaml です。期とファイル名を合わせてください。"),
]


@pytest.mark.parametrize(("name", "change", "field", "says"), FAILING_BUILDS, ids=[c[0] for c in FAILING_BUILDS])
def test_a_failing_build_says_what_where_and_what_to_do_in_japanese(sample, tmp_path, name, change, field, says):
    file, line = change(sample)
    out = japanese("build", str(sample), "--out", str(tmp_path / "pack"))
    assert out.returncode == 2, (out.returncode, out.stderr[-2000:])
    assert out.stdout == "" and "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    where = f"{sample / file} {line}行目 {field}: "
    assert any(x.startswith(f"エラー: {where}") and x.endswith(says) for x in lines), (where, says, lines)
    assert english_runs(out.stderr) == [], english_runs(out.stderr)
    assert not (tmp_path / "pack").exists()


def test_the_same_failure_is_english_under_lang_en(sample, tmp_path):
    line = write(sample / LATEST, "dx-consult: {value: 268,", "dx-consult: {value: ３８２,")
    out = japanese("--lang", "en", "validate", str(sample))
    assert out.returncode == 2
    assert (f"error: {sample / LATEST}:{line}: values.dx-consult.value: "
            "'３８２' is written in full-width digits; type it in half-width digits") in out.stderr.splitlines()


def test_a_full_width_figure_is_refused_not_read_as_a_number(sample):
    """Decimal() reads ３８２ as 382: the figure would have been printed, unseen, as typed by mistake."""
    write(sample / LATEST, "dx-consult: {value: 268,", "dx-consult: {value: ３８２,")
    out = run("validate", str(sample))
    assert out.returncode == 2 and "full-width digits" in out.stderr


def test_a_number_given_as_a_date_is_refused(sample):
    """pydantic reads a number as seconds since 1970: 631152000 would be 1990-01-01."""
    line = write(sample / LATEST, "  date: 2026-05-19", "  date: 631152000")
    out = run("validate", str(sample))
    assert out.returncode == 2
    assert f"{LATEST}:{line}: notice.date: '631152000' is a number, not a date" in out.stderr


def test_a_mistake_in_a_basic_target_year_is_said_once(sample):
    line = write(sample / LATEST, "      2024: 7318", "      2024: {value: 1, fields: {a: 2}}")
    out = run("validate", str(sample))
    errors = [x for x in out.stderr.splitlines() if f":{line}: " in x]
    assert errors == [f"error: {sample / LATEST}:{line}: basic_targets.productivity.years.2024: give either 'value' or 'fields', not both"]


# ---------------------------------------------------------------- every hostile input, in Japanese

def _png_cut(ds):
    data = (SAMPLE / "images" / "case-1.png").read_bytes()
    return _image(ds, "cut.png", data[: len(data) * 2 // 3])


def _png_damaged(ds):
    data = bytearray((SAMPLE / "images" / "case-1.png").read_bytes())
    data[data.index(b"IDAT") + 40] ^= 0xFF
    return _image(ds, "damaged.png", bytes(data))


def _jpeg_cut(ds):
    from PIL import Image

    buf = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(buf, "JPEG")
    return _image(ds, "cut.jpg", buf.getvalue()[: buf.tell() // 2])


def _plan(ds, old, new):
    return write(ds / "plan.yaml", old, new)


def _period_before_the_eras(ds):
    first = ds / "periods" / "2025-03.yaml"
    write(first, "period: 2025-03", "period: 1900-03")
    first.rename(ds / "periods" / "1900-03.yaml")
    write(ds / "periods" / "2025-09.yaml", "previous: 2025-03", "previous: 1900-03")


def _date(typed):
    return lambda ds: write(ds / LATEST, "  date: 2026-05-19", f"  date: {typed}")


def _contact(typed):
    return lambda ds: write(ds / LATEST, "  contact: 主幹 見本 太郎", f"  contact: {typed}")


def _value(typed):
    return lambda ds: write(ds / LATEST, "dx-consult: {value: 268,", f"dx-consult: {{value: {typed},")


# The refused inputs of tests/test_hostile.py (each its own test there, in English),
# and the schema's other mistakes: every kind of message the dataset can give.
HOSTILE = {
    "nested flow": lambda ds: append(ds / LATEST, "deep: " + "[" * 600 + "]" * 600 + "\n"),
    "nested block": lambda ds: append(ds / LATEST, "deep:\n" + "".join("  " * n + "- \n" for n in range(1, 40)) + "  " * 40 + "- x\n"),
    "nested mappings": lambda ds: append(ds / LATEST, "deep: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n"),
    "billion laughs": lambda ds: append(ds / LATEST, "\n".join(
        ["lol:", '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        + [f"  {n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]" for p, n in zip("abcdefgh", "bcdefghi")]) + "\n"),
    "recursive alias": lambda ds: append(ds / LATEST, "g: &g [1, *g]\n"),
    "undefined alias": _contact("*nobody"),
    "impossible date": _date("2026-02-30"),
    "!!int abc": _date("!!int abc"),
    "!!bool maybe": _date("!!bool maybe"),
    "!!timestamp 2026-13-45": _date("!!timestamp 2026-13-45"),
    "!!timestamp soon": _date("!!timestamp soon"),
    "!!null x": _date("!!null x"),
    "huge integer": _value("9" * 5000),
    "year 20025": lambda ds: write(ds / LATEST, "      2024: 7318", "      20025: 7318"),
    "year abc": lambda ds: write(ds / LATEST, "      2024: 7318", "      abc: 7318"),
    "year a list": lambda ds: write(ds / LATEST, "      2024: 7318", "      2024: [1]"),
    "year value and fields": lambda ds: write(ds / LATEST, "      2024: 7318", "      2024: {value: 1, fields: {a: 2}}"),
    "date before the eras": _date("1925-05-19"),
    "date with a time": _date("2026-05-19 10:00:00"),
    "date a number": _date("20260519"),
    "date a word": _date("tomorrow"),
    "date a list": _date("[1]"),
    "date true": _date("true"),
    "date full-width": _date("２０２６-０５-１９"),
    "period before the eras": _period_before_the_eras,
    "period misshapen": lambda ds: write(ds / LATEST, "period: 2026-03", "period: 2026-3"),
    "previous later": lambda ds: write(ds / LATEST, "previous: 2025-09", "previous: 2026-09"),
    "previous missing": lambda ds: write(ds / LATEST, "previous: 2025-09", "previous: 2024-09"),
    "10 MB string": lambda ds: append(ds / LATEST, 'note: "' + "あ" * (3 * 2**20 // 3) + '"\n'),
    "long text": _contact("長" * 20_000),
    "too many items": lambda ds: write(ds / LATEST, "  body:\n", "  body:\n" + "".join(f"    - 段落{n}\n" for n in range(31))),
    "empty list": lambda ds: write(ds / LATEST, "  body:\n", "  body: []\n  xbody:\n"),
    "too many indicators": lambda ds: _plan(ds, "fields:\n", "fields:\n" + "".join(
        f"  - id: f{m}\n    name: 分野\n    kpis:\n" + "".join(
            f"      - id: f{m}-k{k}\n        name: K\n        indicators:\n" + "".join(
                f"          - {{id: f{m}-k{k}-i{i}, name: 指標, target: 1}}\n" for i in range(30)) for k in range(5))
        for m in range(4))),
    "oversized file": lambda ds: (ds / LATEST).write_bytes(b"x: [" + b"1, " * 400_000 + b"1]\n"),
    "truncated png": _png_cut,
    "damaged png": _png_damaged,
    "truncated jpeg": _jpeg_cut,
    "cmyk jpeg": lambda ds: _image(ds, "print.jpg", _jpeg("CMYK")),
    "wide png": lambda ds: _image(ds, "wide.png", _flat_png(10_001, 20)),
    "missing image": lambda ds: write(ds / LATEST, "image: images/case-1.png", "image: images/none.png"),
    "image outside": lambda ds: write(ds / LATEST, "image: images/case-1.png", "image: ../x.png"),
    "gif image": lambda ds: write(ds / LATEST, "image: images/case-1.png", "image: images/x.gif"),
    "duplicate key": lambda ds: write(ds / LATEST, "  contact: 主幹 見本 太郎", "  contact: 主幹 見本 太郎\n  contact: 二度目"),
    "python tag": _contact('!!python/object/apply:os.system ["touch pwned"]'),
    "!!binary": _contact("!!binary aGVsbG8="),
    "!!set": _contact("!!set {a: 1}"),
    "!custom": _contact("!custom x"),
    "text read as true": lambda ds: write(ds / LATEST, "  group: DX推進グループ", "  group: true"),
    "text read as a date": lambda ds: write(ds / LATEST, "  group: DX推進グループ", "  group: 2026-01-01"),
    "text empty": _contact('""'),
    "text ~": _contact("~"),
    "text a mapping": _contact("{a: 1}"),
    "text a list": _contact("[a]"),
    "a flood of unknown keys": lambda ds: append(ds / LATEST, "".join(f"k{n}: 1\n" for n in range(500))),
    "value a word": _value("abc"),
    "value in kanji": _value("二百十八"),
    "value full-width decimal": _value("３８．２"),
    "value a list": _value("[1]"),
    "value true": _value("true"),
    "value .inf": _value(".inf"),
    "value Infinity": _value("Infinity"),
    "value too large": _value("1e400"),
    "updated maybe": _value("268, updated: maybe"),
    "unknown indicator": lambda ds: write(ds / LATEST, "  dx-consult: {", "  dx-cosnult: {"),
    "unknown field of cases": lambda ds: write(ds / LATEST, "  living:\n", "  livin:\n"),
    "notice a number": lambda ds: write(ds / LATEST, "notice:\n", "notice: 5\nxnotice:\n"),
    "values a number": lambda ds: write(ds / LATEST, "values:\n", "values: 5\nxvalues:\n"),
    "body a text": lambda ds: write(ds / LATEST, "  body:\n", "  body: x\n  xbody:\n"),
    "yaml: colon in value": _contact("主幹: 見本"),
    "yaml: no colon": lambda ds: write(ds / LATEST, "  contact: 主幹 見本 太郎", "  contact 主幹"),
    "yaml: tab": lambda ds: write(ds / LATEST, "  contact: 主幹 見本 太郎", "\tcontact: x"),
    "yaml: open quote": _contact('"abc'),
    "yaml: bad escape": _contact('"a\\qb"'),
    "yaml: open bracket": _contact("[a, b"),
    "yaml: open brace": _contact("{a: 1"),
    "yaml: @": _contact("@x"),
    "yaml: two documents": _contact("x\n---\na: 1"),
    "yaml: bad tag": _contact("!<tag:yaml.org,2002:str x"),
    "yaml: block scalar": _contact("|x\n   a"),
    "yaml: indentation": lambda ds: write(ds / LATEST, "  contact: 主幹 見本 太郎", " contact: x"),
    "not utf-8": lambda ds: (ds / LATEST).write_bytes("period: 2026-03\n".encode("shift_jis") + "担当: 見本".encode("shift_jis")),
    "control character": _contact('"a\\x07b"'),
    "raw control character": _contact("a\x07b"),
    "lone surrogate": _contact('"\\ud800"'),
    "top a list": lambda ds: (ds / LATEST).write_text("- 1\n", encoding="utf-8"),
    "plan: target 0": lambda ds: _plan(ds, "target: 3000\n", "target: 0\n"),
    "plan: decimals 5": lambda ds: _plan(ds, "decimals: 0\n", "decimals: 5\n"),
    "plan: decimals 1.5": lambda ds: _plan(ds, "decimals: 0\n", "decimals: 1.5\n"),
    "plan: target year": lambda ds: _plan(ds, "target_year: 2028", "target_year: 1999"),
    "plan: month 13": lambda ds: _plan(ds, "publication_months: [5, 11]", "publication_months: [5, 13]"),
    "plan: duplicate id": lambda ds: _plan(ds, "id: dx-consult", "id: dx-strategy"),
    "plan: long id": lambda ds: _plan(ds, "id: dx-consult", "id: " + "x" * 70),
    "plan: no fields": lambda ds: _plan(ds, "fields:\n", "fields: []\nxfields:\n"),
}


# What some of them say: the right message for the mistake, not only a Japanese one.
SAYS = {
    "huge integer": "桁数が多すぎるため、数値として扱えません",
    "impossible date": "その月にない日です",
    "!!timestamp 2026-13-45": "月は1～12です",
    "date a number": "「20260519」は数値として読み取られています",
    "date with a time": "時刻が含まれています",
    "value full-width decimal": "「３８．２」は全角の数字です。半角の数字で入力してください。",
    "value in kanji": "「二百十八」は数値として読み取れません",
    "value Infinity": "「Infinity」は数値として使えません",
    "year value and fields": "value と fields は、どちらか一方だけを書いてください。",
    "year a list": "ここには数値を入力してください（リストとして読み取られています）。",
    "plan: target 0": "0より大きい値を入力してください",
    "plan: decimals 5": "「5」は大きすぎます。4以下の値を入力してください。",
    "plan: decimals 1.5": "「1.5」は小数です。ここには整数を入力してください。",
    "plan: month 13": "「13」は大きすぎます。12以下の値を入力してください。",
    "plan: target year": "「1999」は小さすぎます。2000以上の値を入力してください。",
    "plan: duplicate id": "ID「dx-strategy」が重複しています",
    "plan: long id": "70文字あります。64文字以内にしてください。",
    "updated maybe": "「maybe」は使えません。true（はい）か false（いいえ）のどちらかを入力してください。",
    "notice a number": "ここには「項目名: 値」の行を書いてください（数値（5）として読み取られています）。",
    "body a text": "ここには「- 」で始まる行のリストを書いてください",
    "empty list": "項目が0個です。1個以上書いてください。",
    "text empty": "空欄になっています。",
    "yaml: colon in value": "ここに「:」があるため読み取れません",
    "yaml: tab": "タブ文字は字下げに使えません",
    "not utf-8": "文字コードがUTF-8ではありません",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_every_refused_input_is_said_in_japanese(in_japanese, sample, case):
    from dxreport.errors import DatasetError
    from dxreport.source import dataset

    HOSTILE[case](sample)
    with pytest.raises(DatasetError) as e:
        dataset.load(str(sample))
    problems = e.value.problems
    assert problems
    for p in problems:
        said = str(p)
        assert p.file.startswith(str(sample)) and re.search(r"\.yaml( \d+行目)?", said), said
        assert english_runs(p.message) == [], (case, p.message)
        assert re.search(r"[ぁ-んァ-ヶ一-龠]", p.message), (case, p.message)
    if case in SAYS:
        assert any(SAYS[case] in p.message for p in problems), (case, [p.message for p in problems])


def test_random_hostile_documents_are_said_in_japanese(in_japanese):
    """The hostile suite's random nesting, aliases and scalars: whatever is refused, in Japanese."""
    from dxreport.errors import DatasetError
    from dxreport.source import dataset
    from test_hostile import _each_random_document

    def said_in_japanese(root: Path, where, doc) -> None:
        try:
            dataset.load(str(root))
        except DatasetError as e:
            for p in e.problems:
                assert english_runs(p.message) == [], (where, doc[:200], p.message)

    _each_random_document(int(os.environ.get("DXREPORT_EXAMPLES", "8")) * 5, said_in_japanese)
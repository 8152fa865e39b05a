"""Japanese first: every word dxreport says is in the catalogue, translated,
and the default language is Japanese (issue 16)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from lxml import etree

from conftest import AOMORI, ROOT

sys.path.insert(0, str(ROOT / "tools"))
import messages  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
COMMANDS = {"build", "check", "validate", "summary", "diff", "new-period", "export-xlsx", "import-xlsx", "absorb"}
NAMES = {"dxreport", "python", "json", "csv", "text", "ja", "en"} | COMMANDS
_WORD = re.compile(r"^[A-Za-z][a-z']*$")


def english_runs(text: str, min_words: int = 3) -> list[str]:
    """Runs of three or more English words: not counting names, paths, ids,
    option names and the upper-case placeholders of usage lines."""
    runs, current = [], []
    for token in re.split(r"[\s、。：:（）()「」【】,;]+", text):
        word = token.strip(".!?'\"")
        if word and _WORD.match(word) and word.lower() not in NAMES:
            current.append(word)
            continue
        if len(current) >= min_words:
            runs.append(" ".join(current))
        current = []
    if len(current) >= min_words:
        runs.append(" ".join(current))
    return runs


def japanese(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real command under the default language: no DXREPORT_LANG."""
    env = {k: v for k, v in os.environ.items() if k not in ("DXREPORT_LANG", "LANGUAGE", "LC_ALL", "LANG")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "dxreport", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def test_the_detector_finds_english_and_lets_names_pass():
    assert english_runs("エラー: the period has no notice") == ["the period has no notice"]
    assert english_runs("使い方: python -m dxreport build [OPTIONS] [DATASET]") == []
    assert english_runs("data/aomori/periods/2025-12.yaml 31行目 values.x.value: 値が正しくありません") == []


def test_the_catalogue_is_complete_and_up_to_date():
    catalog = messages.merged(messages.read())
    assert len(catalog) > 100
    assert messages.untranslated(catalog) == []
    assert messages.PO.read_bytes() == messages.po_text(catalog), "run python tools/messages.py"
    assert messages.MO.read_bytes() == messages.mo_bytes(catalog), "run python tools/messages.py"
    # No entry that no code says: the merge keeps only what is extracted.
    current = messages.read()
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in current if m.id} == \
        {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_every_translation_keeps_the_placeholders_of_its_message():
    fields = re.compile(r"\{[^{}]*\}|%\([a-z]+\)s")
    bad = []
    for m in messages.read():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
        strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
        for s in strings:
            if set(fields.findall(s)) - set(fields.findall(ids[-1])) - set(fields.findall(ids[0])):
                bad.append((ids[0], s))
    assert bad == []


def test_help_is_japanese_by_default_and_english_on_request():
    for args in (["--help"], ["build", "--help"], ["check", "--help"], ["validate", "--help"]):
        out = japanese(*args)
        assert out.returncode == 0, out.stderr
        assert "使い方:" in out.stdout and english_runs(out.stdout) == [], (args, english_runs(out.stdout))
    en = japanese("--lang", "en", "build", "--help")
    assert "Usage:" in en.stdout and "Build the period's press pack" in en.stdout


def test_a_build_says_what_it_wrote_in_japanese_and_counts_its_findings(tmp_path):
    out = japanese("build", str(AOMORI), "--out", str(tmp_path / "pack"))
    assert out.returncode == 0, out.stderr
    said = out.stdout + out.stderr
    assert english_runs(said) == [], english_runs(said)
    assert "書き出しました" in out.stdout and "dxreport-2025-12.pdf" in out.stdout and "KB" in out.stdout
    # One line of counts, not the 23 findings.
    # The licence warning (Aomori names none yet), then one line of counts, not the 23 findings.
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("注意: ") and "ライセンス" in lines[0]
    assert lines[1] == "自動チェック: 要修正 1件、要確認 7件、参考 15件（一覧は dxreport check、または build -v）"
    verbose = japanese("build", str(AOMORI), "--out", str(tmp_path / "pack"), "-v")
    assert verbose.returncode == 0 and len(verbose.stderr.strip().splitlines()) == 25


def test_a_failing_build_and_check_speak_japanese(tmp_path):
    # A period without a notice (Aomori's 2025-09) has no press pack: a located Japanese error.
    out = japanese("build", str(AOMORI), "--period", "2025-09", "--out", str(tmp_path / "x"))
    assert out.returncode == 2
    assert out.stderr.startswith("エラー: ") and re.search(r"2025-09\.yaml \d+行目 notice: ", out.stderr)
    assert english_runs(out.stderr) == [], english_runs(out.stderr)
    check = japanese("check", str(AOMORI))
    assert check.returncode == 1 and "要確認（7件）" in check.stdout
    assert english_runs(check.stdout) == [], english_runs(check.stdout)


def test_check_writes_json_and_csv_for_other_tools():
    import csv
    import io
    import json

    as_json = json.loads(japanese("check", str(AOMORI), "--format", "json").stdout)
    as_csv = list(csv.DictReader(io.StringIO(japanese("check", str(AOMORI), "--format", "csv").stdout)))
    assert len(as_json) == len(as_csv) == 23
    assert {r["severity"] for r in as_json} == {"error", "warning", "notice"}
    assert as_json[0]["file"].endswith("2025-12.yaml") and isinstance(as_json[0]["line"], int)
    assert as_csv[0]["message"] == as_json[0]["message"]


def test_word_comments_are_written_for_a_proofreader(tmp_path):
    out = japanese("build", str(AOMORI), "--out", str(tmp_path / "pack"))
    assert out.returncode == 0, out.stderr
    with zipfile.ZipFile(tmp_path / "pack" / "dxreport-2025-12.docx") as z:
        comments = etree.fromstring(z.read("word/comments.xml"))
    texts = ["".join(t.text or "" for t in c.iter(W + "t")) for c in comments.iter(W + "comment")]
    authors = {c.get(W + "author") for c in comments.iter(W + "comment")}
    assert len(texts) == 23 and authors == {"dxreport 自動チェック"}
    ids = {"talent-exchange", "consult-count", "online-pref"}
    for text in texts:
        assert english_runs(text, 2) == [], text
        assert ".yaml" not in text and not any(i in text for i in ids) and "[" not in text, text
    assert "前期から38.5ポイント上昇しています。値（382人）と時点（R6～R7の累計）をご確認ください。" in texts


def test_the_catalogue_is_read_on_the_first_message_not_at_import():
    code = "import dxreport.cli, dxreport.i18n as i; print(i._translation is None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"

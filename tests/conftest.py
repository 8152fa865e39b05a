from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The suite's own assertions read dxreport's messages in English (--lang en);
# tests/test_messages.py checks the Japanese default.
os.environ["DXREPORT_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
AOMORI = DATA / "aomori"
SAMPLE = DATA / "sample"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run the real command in a fresh process: exit status and streams as a user sees them."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "dxreport", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def dataset_copy(tmp_path: Path):
    """A copy of a shipped dataset that a test may break."""

    def make(source: Path = AOMORI) -> Path:
        dest = tmp_path / source.name
        shutil.copytree(source, dest)
        return dest

    return make


def pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.fixture(scope="session")
def aomori_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("aomori")
    result = run("build", str(AOMORI), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "dxreport-2025-12.pdf"


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    result = run("build", str(SAMPLE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "dxreport-2026-03.pdf"


def complete(root: Path) -> Path:
    """A dataset copy with the gap of the Aomori data filled, so that ``build
    --final`` builds it: the release prints the SME share's yearly values only in a
    chart image, so the shipped data has its stated change and no values (and the
    final copy is refused). The values entered here are the test's own, not the release's."""
    def fill(data) -> None:
        data["basic_targets"]["sme-share"]["years"] = {2024: 30.0, 2025: 35.7}
        del data["basic_targets"]["sme-share"]["stated_change"]

    edit_yaml(root / "periods" / "2025-12.yaml", fill)
    return root


@pytest.fixture(scope="session")
def aomori_complete(tmp_path_factory) -> Path:
    """The Aomori dataset with its one gap filled (see ``complete``)."""
    dest = tmp_path_factory.mktemp("complete") / "aomori"
    shutil.copytree(AOMORI, dest)
    return complete(dest)


def edit_yaml(path: Path, change) -> None:
    """Change a YAML file as a person would, keeping the rest of it as it was."""
    from ruamel.yaml import YAML

    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)


def build_pack(source, period: str | None = None, out: Path | None = None, *, jobs: int | None = None,
               final: bool = False, all_periods: bool = False, warn=None) -> list[Path]:
    """The build, in this process, as the CLI calls it."""
    from dxreport.build.pipeline import Request, build

    return build(Request(str(source), period, out, all_periods, final, jobs), warn)


def prepared(source, period: str | None = None, *, final: bool = False):
    """One period read, checked and made into its pack model (``.job.pack``)."""
    from dxreport.build.pipeline import Request, prepare

    return prepare(str(source), period, Request(final=final))[0]


def render_format(name: str, pack, drawings=None, given=None, stem: str = "dxreport-test") -> dict[str, bytes]:
    """One renderer's files for a pack model, with this process's drawings."""
    from dxreport.build import tasks
    from dxreport.render.job import RenderJob

    try:
        return tasks.render(name, RenderJob(pack, stem, drawings, given or {}))
    finally:
        tasks.forget()  # as a build does: no drawing outlives it in this process


def is_layout_break(el) -> bool:
    """A line break the Word renderer set for layout (docx_lines' Layout Break style): not text."""
    from docx.oxml.ns import qn

    from dxreport.render.docx_controls import LAYOUT_BREAK

    style = el.getparent().find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
    return el.tag == qn("w:br") and style is not None and style.get(qn("w:val")) == LAYOUT_BREAK

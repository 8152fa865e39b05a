"""Nothing lost, nothing half-written, the same bytes every time (issue 8)."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path

import pytest

from dxreport.build import output
from dxreport.errors import DatasetError, UserError

from conftest import AOMORI, SAMPLE, build_pack, edit_yaml, run


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name not in keep)


@pytest.fixture(scope="module")
def previous_pack(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("previous") / "pack"
    build_pack(str(SAMPLE), None, out)
    return out


class Boom(Exception):
    pass


def _fail(*args, **kwargs):
    raise Boom("injected failure")


STAGES = {
    "validation": ("dxreport.source.dataset.load", _fail),
    "compute": ("dxreport.compute.figures.compute", _fail),
    "charts": ("dxreport.render.charts.draw", _fail),
    "pdf": ("dxreport.render.pdf.render", _fail),
    "docx": ("dxreport.render.docx.render", _fail),
    "html": ("dxreport.render.html.render", _fail),
    "opendata": ("dxreport.render.opendata.render", _fail),
    "kensan": ("dxreport.render.kensan.render", _fail),
}


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_a_build_failing_at_any_stage_leaves_the_previous_pack(previous_pack, monkeypatch, stage):
    before = snapshot(previous_pack)
    target, fail = STAGES[stage]
    module, name = target.rsplit(".", 1)
    monkeypatch.setattr(f"{module}.{name}", fail)
    with pytest.raises(Boom):
        build_pack(str(SAMPLE), None, previous_pack)
    assert snapshot(previous_pack) == before
    assert leftovers(previous_pack.parent, {previous_pack.name}) == []


def test_interrupt_while_writing_leaves_the_previous_pack(previous_pack, monkeypatch):
    before = snapshot(previous_pack)
    calls = []

    def interrupted(fd):
        calls.append(fd)
        if len(calls) == 2:  # Ctrl-C after the first file is written
            raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_pack(str(SAMPLE), None, previous_pack)
    assert snapshot(previous_pack) == before
    assert leftovers(previous_pack.parent, {previous_pack.name}) == []


def test_full_disk_is_a_user_error_and_leaves_the_previous_pack(previous_pack, monkeypatch):
    before = snapshot(previous_pack)

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fsync", full)
    with pytest.raises(UserError, match="No space left on device"):
        build_pack(str(SAMPLE), None, previous_pack)
    assert snapshot(previous_pack) == before
    assert leftovers(previous_pack.parent, {previous_pack.name}) == []


def test_failure_of_the_final_move_restores_the_previous_pack(previous_pack, monkeypatch):
    before = snapshot(previous_pack)
    real_replace = os.replace
    calls = []

    def flaky(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # the staged pack moving into place
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", flaky)
    with pytest.raises(UserError):
        build_pack(str(SAMPLE), None, previous_pack)
    assert snapshot(previous_pack) == before
    assert leftovers(previous_pack.parent, {previous_pack.name}) == []


def test_bad_data_never_touches_the_previous_pack(previous_pack, dataset_copy):
    before = snapshot(previous_pack)
    ds = dataset_copy(SAMPLE)
    edit_yaml(ds / "plan.yaml", lambda d: d["fields"][0]["kpis"][0]["indicators"][0].update(target=0))
    with pytest.raises(DatasetError):
        build_pack(str(ds), None, previous_pack)
    assert snapshot(previous_pack) == before


def test_same_input_gives_byte_identical_files(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):  # separate processes: no state shared between the builds
        result = run("build", str(AOMORI), "--out", str(out))
        assert result.returncode == 0, result.stderr
    a, b = snapshot(first), snapshot(second)
    assert sorted(a) == sorted(b)
    assert {"dxreport-2025-12.pdf", "dxreport-2025-12.docx", "dxreport-2025-12.csv", "dxreport-2025-12.json", "html/index.html"} <= set(a)
    different = [name for name in a if a[name] != b[name]]
    assert different == []


def test_the_build_never_reaches_the_network(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the build tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    build_pack(str(SAMPLE), None, tmp_path / "offline")
    assert (tmp_path / "offline" / "dxreport-2026-03.pdf").is_file()


def test_yaml_cannot_construct_objects(dataset_copy, tmp_path):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    marker = tmp_path / "pwned"
    text = period.read_text(encoding="utf-8").replace(
        "previous: 2025-09", f'previous: !!python/object/apply:os.system ["touch {marker}"]', 1)
    period.write_text(text, encoding="utf-8")
    result = run("validate", str(ds))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "2025-12.yaml:" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("../../outside.png", None, "lies outside the dataset folder"),
        ("images/fake.png", b"GIF89a not really a png", "is not a readable PNG or JPEG image"),
        ("images/photo.gif", None, "is not a PNG or JPEG file"),
    ],
)
def test_case_images_must_be_real_images_inside_the_dataset(dataset_copy, tmp_path, name, content, message):
    ds = dataset_copy(SAMPLE)
    if content is not None:
        (ds / name).parent.mkdir(parents=True, exist_ok=True)
        (ds / name).write_bytes(content)
    edit_yaml(ds / "periods" / "2026-03.yaml", lambda d: d["cases"]["industry"][0].update(image=name))
    result = run("build", str(ds), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "2026-03.yaml:" in result.stderr and "cases.industry.0.image" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_internal_error_exits_1_with_a_log(monkeypatch, tmp_path, capsys):
    from dxreport import cli

    monkeypatch.setattr("dxreport.render.pdf.render", _fail)
    monkeypatch.setattr(cli.tempfile, "gettempdir", lambda: str(tmp_path))
    with pytest.raises(SystemExit) as exit_:
        cli.main(["build", str(SAMPLE), "--out", str(tmp_path / "out")], standalone_mode=True)
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "internal error" in err and str(tmp_path / "dxreport-error.log") in err
    assert "Boom: injected failure" in (tmp_path / "dxreport-error.log").read_text(encoding="utf-8")


def test_a_folder_of_other_files_is_never_replaced(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "memo.txt").write_text("大事なメモ", encoding="utf-8")
    result = run("build", str(SAMPLE), "--out", str(folder))
    assert result.returncode == 2
    assert "memo.txt" in result.stderr and "not a pack dxreport wrote" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["memo.txt"]


def test_a_folder_holding_only_an_html_folder_is_never_replaced(tmp_path):
    # An office's own web site folder looks like a pack to a guess by names: it is not one.
    site = tmp_path / "site"
    (site / "html").mkdir(parents=True)
    (site / "html" / "about.html").write_text("<p>課のページ</p>", encoding="utf-8")
    result = run("build", str(SAMPLE), "--out", str(site))
    assert result.returncode == 2
    assert "html/about.html" in result.stderr and "not a pack dxreport wrote" in result.stderr
    assert (site / "html" / "about.html").read_text(encoding="utf-8") == "<p>課のページ</p>"
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == ["html", "html/about.html"]


def test_a_pack_is_replaced_only_as_its_manifest_lists_it(tmp_path):
    import json

    from dxreport.build.output import MANIFEST

    out = tmp_path / "pack"
    assert run("build", str(SAMPLE), "--out", str(out)).returncode == 0
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MANIFEST)
    assert sorted(listed) == on_disk
    assert run("build", str(SAMPLE), "--out", str(out)).returncode == 0  # its own pack: replaced

    # A file the user put into the pack's folder is theirs: nothing is replaced.
    (out / "html" / "memo.txt").write_text("メモ", encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = run("build", str(SAMPLE), "--out", str(out))
    assert result.returncode == 2 and "html/memo.txt" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    (out / "html" / "memo.txt").unlink()

    # A pack file changed after the build (a draft corrected in place) is not overwritten.
    docx = out / "dxreport-2026-03.docx"
    docx.write_bytes(docx.read_bytes() + b"\0")
    result = run("build", str(SAMPLE), "--out", str(out))
    assert result.returncode == 2 and "dxreport-2026-03.docx" in result.stderr and "changed" in result.stderr
    assert docx.read_bytes().endswith(b"\0")

    # A manifest that lists a file is no licence to delete a different one.
    (out / MANIFEST).write_text("{}", encoding="utf-8")
    assert run("build", str(SAMPLE), "--out", str(out)).returncode == 2

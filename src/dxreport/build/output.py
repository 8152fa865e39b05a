"""Writing a finished pack into place atomically.

Files are written into a temporary folder beside the target and moved into
place only once all are complete, so a failed build never leaves a half-written
pack and the previous one stays as it was until the new one replaces it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from dxreport.errors import UserError
from dxreport.i18n import _


MANIFEST = ".dxreport-pack.json"


def manifest(files: dict[str, bytes]) -> bytes:
    """The list of every file a pack holds, with its SHA-256: what lets a later build
    prove that a folder is a pack dxreport wrote, and that nobody has changed it since."""
    entries = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
    return (json.dumps({"dxreport-pack": 1, "files": entries}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _replaceable(target: Path) -> None:
    """Only a missing or empty folder, or a pack dxreport wrote and nobody changed since,
    may be replaced: a folder is deleted only when every file in it is one its manifest
    lists, with the bytes dxreport wrote."""
    if target.is_symlink():
        raise UserError(_("{target} is a symbolic link; give the folder itself as --out").format(target=target))
    if not target.exists():
        # Its folders are made when it is written: one of them must not be a file.
        above = next((p for p in target.parents if p.exists() or p.is_symlink()), None)
        if above is not None and not above.is_dir():
            raise UserError(_("{above} is a file, so {target} cannot be a folder below it; choose another --out").format(
                above=above, target=target))
        return
    if not target.is_dir():
        raise UserError(_("{target} is a file, not a folder; choose another --out").format(target=target))
    present = sorted(p.relative_to(target).as_posix() + ("/" if p.is_dir() and not p.is_symlink() else "")
                     for p in target.rglob("*"))
    if not present:
        return
    listed = _listed(target / MANIFEST)
    if listed is None:
        raise UserError(_("{target} is not a pack dxreport wrote (it holds {names}); "
                            "choose an empty folder, a new one, or the folder of a previous pack").format(target=target, names=_some(present)))
    files = [name for name in present if not name.endswith("/")]
    folders = {name.rstrip("/") for name in present if name.endswith("/")}
    needed = {parent.as_posix() for name in listed for parent in PurePosixPath(name).parents}
    strangers = [name for name in files if name != MANIFEST and name not in listed]
    strangers += [name + "/" for name in sorted(folders - needed)]
    if strangers:
        raise UserError(_("{target} holds files dxreport did not write ({names}); "
                            "move them elsewhere, or choose another --out").format(target=target, names=_some(strangers)))
    changed = [name for name in files if name != MANIFEST and _sha256(target / name) != listed[name]]
    if changed:
        raise UserError(_("{target}: {names} changed since dxreport wrote it; "
                            "save your copy elsewhere (or delete it), then build again").format(target=target, names=_some(changed)))


def _listed(path: Path) -> dict[str, str] | None:
    """The files a pack's manifest lists, or None where it is missing or not ours."""
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) and data.get("dxreport-pack") == 1 else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        return None
    return files


def _sha256(path: Path) -> str | None:
    if path.is_symlink() or not path.is_file():
        return None
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _some(names: list[str]) -> str:
    shown = _(", ").join(names[:5])
    return shown + (_(" and {count} more").format(count=len(names) - 5) if len(names) > 5 else "")


def check(targets: list[Path]) -> None:
    """Refuse, before anything is rendered, a folder a pack may not replace: the user
    hears it at once rather than after the whole build. Writing checks again."""
    for target in targets:
        _replaceable(target.resolve())


def write_pack(target: Path, files: dict[str, bytes]) -> list[Path]:
    return write_packs([(target, files)])


def write_packs(packs: list[tuple[Path, dict[str, bytes]]]) -> list[Path]:
    """Several packs (build --all), each into its folder, all or none: every folder
    is checked and every file written and synced beside its target before the
    first folder is replaced, and the replacements are undone if one fails."""
    packs = [(target.resolve(), files) for target, files in packs]
    for target, _files in packs:
        _replaceable(target)
    staged: list[tuple[Path, Path]] = []
    try:
        try:
            for target, files in packs:
                staged.append((target, _stage(target, files)))
            _swap_all(staged)
        except OSError as e:
            # A full disk, a read-only folder: the user's to fix, and nothing was changed.
            where = ", ".join(str(t) for t, _files in packs)
            raise UserError(_("cannot write the pack to {where}: {reason}; the previous pack is unchanged").format(where=where, reason=e.strerror or e)) from None
    finally:
        for _target, staging in staged:
            shutil.rmtree(staging, ignore_errors=True)  # gone already where it was moved into place
    return [target / name for target, files in packs for name in files]


def _stage(target: Path, files: dict[str, bytes]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        for name, data in {**files, MANIFEST: manifest(files)}.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(staging, 0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _swap_all(staged: list[tuple[Path, Path]]) -> None:
    """Each staging folder into its target's place, the old pack kept aside until
    all are in place; on any failure (or Ctrl-C) every old pack is put back."""
    done: list[tuple[Path, Path | None]] = []  # (target, its previous pack set aside)
    try:
        for target, staging in staged:
            backup = None
            if target.exists():
                backup = target.with_name(f".{target.name}.old")
                if backup.exists():
                    shutil.rmtree(backup)
            done.append((target, backup))  # before any move, so an interrupt anywhere is undone
            if backup is not None:
                os.replace(target, backup)
            os.replace(staging, target)
    except BaseException:
        for target, backup in reversed(done):
            if backup is not None and not backup.exists():
                continue  # interrupted before the old pack was set aside: it is still in place
            if target.exists():  # the new pack: the old one, if any, is set aside
                shutil.rmtree(target, ignore_errors=True)
            if backup is not None:
                os.replace(backup, target)
        raise
    for _target, backup in done:
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)

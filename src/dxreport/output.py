"""Writing a finished pack into place atomically.

Files are written into a temporary folder beside the target and moved into
place only once all are complete, so a failed build never leaves a half-written
pack and the previous one stays as it was until the new one replaces it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from dxreport.errors import UserError


def _replaceable(target: Path, files: dict[str, bytes]) -> None:
    """Only an empty folder or a previous pack may be replaced: never a folder of other files."""
    if not target.exists():
        return
    if not target.is_dir():
        raise UserError(f"{target} is a file, not a folder; choose another --out")
    ours = {name.split("/", 1)[0] for name in files} | {"html"}
    strangers = sorted(p.name for p in target.iterdir() if p.name not in ours and not p.name.startswith("dxreport-"))
    if strangers:
        raise UserError(
            f"{target} holds files that are not a dxreport pack ({', '.join(strangers[:5])}); "
            "choose an empty folder or the folder of a previous pack"
        )


def write_pack(target: Path, files: dict[str, bytes]) -> list[Path]:
    return write_packs([(target, files)])


def write_packs(packs: list[tuple[Path, dict[str, bytes]]]) -> list[Path]:
    """Several packs (build --all), each into its folder, all or none: every folder
    is checked and every file written and synced beside its target before the
    first folder is replaced, and the replacements are undone if one fails."""
    packs = [(target.resolve(), files) for target, files in packs]
    for target, files in packs:
        _replaceable(target, files)
    staged: list[tuple[Path, Path]] = []
    try:
        try:
            for target, files in packs:
                staged.append((target, _stage(target, files)))
            _swap_all(staged)
        except OSError as e:
            # A full disk, a read-only folder: the user's to fix, and nothing was changed.
            where = ", ".join(str(t) for t, _ in packs)
            raise UserError(f"cannot write the pack to {where}: {e.strerror or e}; the previous pack is unchanged") from None
    finally:
        for _, staging in staged:
            shutil.rmtree(staging, ignore_errors=True)  # gone already where it was moved into place
    return [target / name for target, files in packs for name in files]


def _stage(target: Path, files: dict[str, bytes]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        for name, data in files.items():
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
    for _, backup in done:
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)

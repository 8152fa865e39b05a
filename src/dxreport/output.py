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
    _replaceable(target.resolve(), files)
    try:
        return _write_pack(target, files)
    except OSError as e:
        # A full disk, a read-only folder: the user's to fix, and nothing was changed.
        raise UserError(f"cannot write the pack to {target}: {e.strerror or e}; the previous pack is unchanged") from None


def _write_pack(target: Path, files: dict[str, bytes]) -> list[Path]:
    target = target.resolve()
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
        backup = None
        if target.exists():
            backup = target.with_name(f".{target.name}.old")
            if backup.exists():
                shutil.rmtree(backup)
            os.replace(target, backup)
        try:
            os.replace(staging, target)
        except BaseException:
            if backup is not None:
                os.replace(backup, target)
            raise
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / name for name in files]

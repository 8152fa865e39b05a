"""The ``dxreport`` command.

Heavy libraries (matplotlib, reportlab) are imported only by ``build``, so
``validate`` and ``summary`` answer at once.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from pathlib import Path

import click

from dxreport import __version__
from dxreport.errors import DatasetError, UserError

DATASET_HELP = "A dataset folder (holding plan.yaml) or one of its period files; default: the one data/index.yaml names."


def _fail_user(lines: list[str]) -> None:
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(2)


def _run(func, *args, **kwargs):
    """Run a command body: user mistakes → status 2, internal errors → status 1 and a log."""
    try:
        return func(*args, **kwargs)
    except DatasetError as e:
        _fail_user([str(p) for p in e.problems])
    except UserError as e:
        _fail_user([str(e)])
    except KeyboardInterrupt:
        click.echo("interrupted; nothing was written", err=True)
        sys.exit(130)
    except Exception:  # noqa: BLE001 - the last resort must catch everything
        log = Path(tempfile.gettempdir()) / "dxreport-error.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        click.echo(f"internal error: {sys.exc_info()[1]!r}; the traceback is in {log}", err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dxreport")
def main() -> None:
    """Turn one period's DX KPI dataset into the press pack (PDF and more)."""


@main.command()
@click.argument("dataset", required=False)
def validate(dataset: str | None) -> None:
    """Check every file of a dataset; list every problem with its file and line."""

    def body() -> None:
        from dxreport import dataset as ds_mod

        ds, _ = ds_mod.load(dataset, all_periods=True)
        click.echo(f"ok: {ds.root} — plan and {len(ds.periods)} period(s): {', '.join(sorted(ds.periods))}")

    _run(body)


@main.command()
@click.argument("dataset", required=False)
@click.option("--period", help="The period to show, YYYY-MM (default: the latest).")
def summary(dataset: str | None, period: str | None) -> None:
    """Print the KPIs with their 前期差 and every indicator's rates."""

    def body() -> None:
        from dxreport import dataset as ds_mod
        from dxreport.figures import compute
        from dxreport.summary import render

        ds, chosen = ds_mod.load(dataset, period)
        click.echo(render(compute(ds, chosen)))

    _run(body)


@main.command()
@click.argument("dataset", required=False)
@click.option("--period", help="The period to build, YYYY-MM (default: the latest).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write the pack under this folder (default: out/PERIOD).")
def build(dataset: str | None, period: str | None, out_dir: str | None) -> None:
    """Build the period's press pack (PDF) into out/PERIOD/."""

    def body() -> None:
        from dxreport.build import build_pack

        written = build_pack(dataset, period, Path(out_dir) if out_dir else None)
        for path in written:
            click.echo(f"wrote {path}")

    _run(body)


if __name__ == "__main__":  # pragma: no cover
    main()

"""The ``dxreport`` command.

Heavy libraries (matplotlib, reportlab) are imported only by ``build``, so
``validate`` and ``summary`` answer at once.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

import click

from dxreport import __version__
from dxreport.errors import DatasetError, UserError

DATASET_HELP = "A dataset folder (holding plan.yaml) or one of its period files; default: the one data/index.yaml names."


MAX_SHOWN = 200  # problems listed; a file with a hundred thousand says how many more


def _fail_user(lines: list[str], total: int | None = None) -> None:
    for line in lines[:MAX_SHOWN]:
        click.echo(f"error: {line}", err=True)
    more = (len(lines) if total is None else total) - MAX_SHOWN
    if more > 0:
        click.echo(f"error: … and {more:,} more problems, not listed: fix these first", err=True)
    sys.exit(2)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a logout, a CI job's timeout): handled as Ctrl-C is, so that a pack
    being staged is removed and the previous one stays as it was."""


def _terminated(signum, frame) -> None:
    # Once: a second SIGTERM must not cut the clean-up short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


def _default_sigterm() -> None:
    # In a forked helper process: it stops at once when told to, as before.
    if signal.getsignal(signal.SIGTERM) is _terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_default_sigterm)


def _run(func, *args, **kwargs):
    """Run a command body: user mistakes → status 2, internal errors → status 1 and a log."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread (dxreport called from a program's thread): left alone
        previous = None
    try:
        return _body(func, *args, **kwargs)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _body(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except DatasetError as e:
        _fail_user([str(p) for p in e.problems[:MAX_SHOWN]], len(e.problems))
    except UserError as e:
        _fail_user([str(e)])
    except Terminated:
        click.echo("terminated; nothing was written", err=True)
        sys.exit(128 + signal.SIGTERM)
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
        from dxreport.source import dataset as ds_mod
        from dxreport.source.workbook import dataset_for_build

        # The build's own reading of its input: what it refuses, this refuses.
        with dataset_for_build(dataset, None) as (source, _):
            ds, _ = ds_mod.load(source)
            where = dataset if dataset and source != dataset else ds.root
            click.echo(f"ok: {where} — plan and {len(ds.periods)} period(s): {', '.join(sorted(ds.periods))}")

    _run(body)


@main.command()
@click.argument("dataset", required=False)
@click.option("--period", help="The period to show, YYYY-MM (default: the latest).")
def summary(dataset: str | None, period: str | None) -> None:
    """Print the KPIs with their 前期差 and every indicator's rates."""

    def body() -> None:
        from dxreport.source import dataset as ds_mod
        from dxreport.compute.figures import compute
        from dxreport.proofread.summary import render

        ds, chosen = ds_mod.load(dataset, period)
        click.echo(render(compute(ds, chosen)))

    _run(body)


@main.command()
@click.argument("dataset", required=False)
@click.option("--period", help="The period to check, YYYY-MM (default: the latest).")
@click.option("--threshold", type=click.FloatRange(min=0), default=15, show_default=True,
              help="Report a rate or KPI that moved more than this many points since the previous period.")
def check(dataset: str | None, period: str | None, threshold: float) -> None:
    """Proofreading findings by severity; exit status 1 when there are any."""

    def body() -> int:
        from decimal import Decimal

        from dxreport.proofread import check as check_mod
        from dxreport.source import dataset as ds_mod

        ds, chosen = ds_mod.load(dataset, period)
        findings = check_mod.run(ds, chosen, Decimal(str(threshold)))
        click.echo(check_mod.report(findings))
        return 1 if findings else 0

    sys.exit(_run(body))


@main.command()
@click.argument("old")
@click.argument("new")
def diff(old: str, new: str) -> None:
    """Every figure and text that changed, was added or was removed between two
    datasets or two period files."""

    def body() -> None:
        from dxreport.proofread import diff as diff_mod

        click.echo(diff_mod.render(diff_mod.compare(old, new)))

    _run(body)


@main.command()
@click.argument("dataset", required=False)
@click.option("--period", help="The period to build, YYYY-MM (default: the latest).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write the pack under this folder (default: out/PERIOD).")
@click.option("--final", is_flag=True, help="The copy to publish: the Word file without the check's review comments.")
@click.option("--all", "all_periods", is_flag=True, help="Build every period, each into OUT/PERIOD (default out/PERIOD).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes to use (default: one per core).")
def build(dataset: str | None, period: str | None, out_dir: str | None, final: bool, all_periods: bool, jobs: int | None) -> None:
    """Build the period's press pack (PDF, Word, web pages, open data) into out/PERIOD/."""

    def body() -> None:
        from dxreport.build.pipeline import Request
        from dxreport.build.pipeline import build as build_packs

        request = Request(dataset, period, Path(out_dir) if out_dir else None, all_periods, final, jobs)
        for path in build_packs(request, warn=lambda line: click.echo(f"warning: {line}", err=True)):
            click.echo(f"wrote {path}")

    _run(body)


@main.command("new-period")
@click.argument("period")
@click.argument("dataset", required=False)
@click.option("--from", "source", help="The period to carry over, YYYY-MM (default: the latest).")
def new_period(period: str, dataset: str | None, source: str | None) -> None:
    """Start PERIOD (YYYY-MM): every indicator carried over, marked updated: false."""

    def body() -> None:
        from dxreport.source.newperiod import create

        click.echo(f"wrote {create(period, dataset, source)}")

    _run(body)


@main.command("export-xlsx")
@click.argument("period")
@click.argument("dataset", required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The workbook to write (default: DATASETNAME-PERIOD.xlsx here).")
def export_xlsx(period: str | None, dataset: str | None, output: str | None) -> None:
    """Write the input workbook (Excel) of PERIOD, YYYY-MM."""

    def body() -> None:
        from dxreport.source import dataset as ds_mod
        from dxreport.source.workbook import export, write_bytes

        data, chosen = export(dataset, period)
        target = Path(output) if output else Path(f"{ds_mod.resolve(dataset, None)[0].resolve().name}-{chosen}.xlsx")
        write_bytes(target, data)
        click.echo(f"wrote {target}")

    _run(body)


@main.command("import-xlsx")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("dataset", required=False)
def import_xlsx(file: str, dataset: str | None) -> None:
    """Read a filled input workbook back into its period file (default: the dataset it names)."""

    def body() -> None:
        from dxreport.source.workbook import import_

        _, changed = import_(file, dataset)
        for path in changed:
            click.echo(f"updated {path}")
        if not changed:
            click.echo("no changes")

    _run(body)


@main.command()
@click.argument("draft", type=click.Path(dir_okay=False))
@click.argument("dataset", required=False)
@click.option("--apply", "apply_", is_flag=True, help="Write the draft's text corrections into the dataset's YAML files.")
def absorb(draft: str, dataset: str | None, apply_: bool) -> None:
    """Read a proofread Word draft: its corrections (as a diff) and comments; --apply writes the corrections back."""

    def body() -> None:
        from dxreport.build.absorb import absorb as absorb_draft

        for line in absorb_draft(draft, dataset, apply_).lines:
            click.echo(line)

    _run(body)


def run() -> None:
    """The ``dxreport`` command itself: ``main``, then leave at once.

    Everything is written, flushed and closed by then; tearing the interpreter
    down (collecting the fonts' and libraries' many objects) would only add a
    tenth of a second to every build. ``main`` stays an ordinary function for
    callers in Python.
    """
    import os

    try:
        main()
        code = 0
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:  # sys.exit("message"): Python prints it and exits 1
            print(e.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):  # a closed pipe (dxreport … | head): nothing to say
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()

"""The ``dxreport`` command: it parses the arguments and calls one function.

Heavy libraries (matplotlib, reportlab) are imported only by ``build``, so
``validate``, ``check`` and ``summary`` answer at once. Every word it prints is
in the user's language (i18n.py): help texts are marked with ``N_`` and
translated when shown, because the language is known only once the arguments
are read.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

import click

from dxreport import __version__, i18n
from dxreport.errors import DatasetError, UserError
from dxreport.i18n import _


def N_(message: str) -> str:
    """A help text to translate when it is shown (marked here for the catalogue)."""
    return message


class Option(click.Option):
    def get_help_record(self, ctx: click.Context):
        if self.help:
            self.help = _(self.help)
        return super().get_help_record(ctx)


def option(*decls: str, **kwargs):
    return click.option(*decls, cls=Option, **kwargs)


class Command(click.Command):
    def get_short_help_str(self, limit: int = 45) -> str:
        if self.help:
            self.help = _(self.help)
        return super().get_short_help_str(limit)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help:
            self.help = _(self.help)
        super().format_help_text(ctx, formatter)


class Group(Command, click.Group):
    command_class = Command


MAX_SHOWN = 200  # problems listed; a file with a hundred thousand says how many more


def _fail_user(lines: list[str], total: int | None = None) -> None:
    for line in lines[:MAX_SHOWN]:
        click.echo(_("error: {problem}").format(problem=line), err=True)
    more = (len(lines) if total is None else total) - MAX_SHOWN
    if more > 0:
        click.echo(_("error: … and {count:,} more problems, not listed: fix these first").format(count=more), err=True)
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
        click.echo(_("terminated; nothing was written"), err=True)
        sys.exit(128 + signal.SIGTERM)
    except KeyboardInterrupt:
        click.echo(_("interrupted; nothing was written"), err=True)
        sys.exit(130)
    except Exception:  # noqa: BLE001 - the last resort must catch everything
        log = Path(tempfile.gettempdir()) / "dxreport-error.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        click.echo(_("internal error: {error}; the traceback is in {log}").format(error=repr(sys.exc_info()[1]), log=log), err=True)
        sys.exit(1)


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        i18n.use(value)
    return value


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Turn one period's DX KPI dataset into the press pack (PDF, Word, web pages, open data)."))
@click.version_option(__version__, prog_name="dxreport", cls=Option, help=N_("Show the version and exit."))
@option("--lang", type=click.Choice(i18n.LANGUAGES), is_eager=True, expose_value=False, callback=_set_language,
              help=N_("The language of every message: ja (the default) or en; also DXREPORT_LANG."))
def main() -> None:
    pass


DATASET = click.argument("dataset", required=False)


@main.command(help=N_("Check every file of a dataset (or an input workbook); list every problem with its file and line."))
@DATASET
def validate(dataset: str | None) -> None:
    def body() -> None:
        from dxreport.source import dataset as ds_mod
        from dxreport.source.workbook import dataset_for_build

        # The build's own reading of its input: what it refuses, this refuses.
        with dataset_for_build(dataset, None) as (source, _period):
            ds, _chosen = ds_mod.load(source)
            where = dataset if dataset and source != dataset else ds.root
            click.echo(_("ok: {where}: the plan and {count} period(s): {periods}").format(
                where=where, count=len(ds.periods), periods=", ".join(sorted(ds.periods))))

    _run(body)


@main.command(help=N_("Print the KPIs with their 前期差 and every indicator's rates."))
@DATASET
@option("--period", help=N_("The period to show, YYYY-MM (default: the latest)."))
def summary(dataset: str | None, period: str | None) -> None:
    def body() -> None:
        from dxreport.compute.figures import compute
        from dxreport.proofread.summary import render
        from dxreport.source import dataset as ds_mod

        ds, chosen = ds_mod.load(dataset, period)
        click.echo(render(compute(ds, chosen)))

    _run(body)


@main.command(help=N_("Proofreading findings by severity; exit status 1 when there are any."))
@DATASET
@option("--period", help=N_("The period to check, YYYY-MM (default: the latest)."))
@option("--threshold", type=click.FloatRange(min=0), default=15, show_default=True,
              help=N_("Report a rate or KPI that moved more than this many points since the previous period."))
@option("--format", "form", type=click.Choice(("text", "json", "csv")), default="text", show_default=True,
              help=N_("text for reading, json or csv for a spreadsheet or another tool."))
def check(dataset: str | None, period: str | None, threshold: float, form: str) -> None:
    def body() -> int:
        from decimal import Decimal

        from dxreport.proofread import check as check_mod
        from dxreport.proofread import report
        from dxreport.source import dataset as ds_mod

        ds, chosen = ds_mod.load(dataset, period)
        findings = check_mod.run(ds, chosen, Decimal(str(threshold)))
        out = {"text": report.text, "json": report.json_lines, "csv": report.csv_table}[form](findings)
        click.echo(out, nl=not out.endswith("\n"))
        return 1 if findings else 0

    sys.exit(_run(body))


@main.command(help=N_("Every figure and text that changed, was added or was removed between two datasets or two period files."))
@click.argument("old")
@click.argument("new")
def diff(old: str, new: str) -> None:
    def body() -> None:
        from dxreport.proofread import diff as diff_mod

        click.echo(diff_mod.render(diff_mod.compare(old, new)))

    _run(body)


@main.command(help=N_("Build the period's press pack (PDF, Word, web pages, open data) into out/PERIOD/."))
@DATASET
@option("--period", help=N_("The period to build, YYYY-MM (default: the latest)."))
@option("--out", "out_dir", type=click.Path(file_okay=False), help=N_("Write the pack under this folder (default: out/PERIOD)."))
@option("--final", is_flag=True, help=N_("The copy to publish: the Word file without the check's review comments."))
@option("--all", "all_periods", is_flag=True, help=N_("Build every period, each into OUT/PERIOD (default out/PERIOD)."))
@option("-j", "--jobs", type=click.IntRange(min=1), help=N_("Processes to use (default: one per core)."))
@option("-v", "--verbose", is_flag=True, help=N_("List every proofreading finding, not only their counts."))
def build(dataset: str | None, period: str | None, out_dir: str | None, final: bool, all_periods: bool,
          jobs: int | None, verbose: bool) -> None:
    def body() -> None:
        from dxreport.build import report
        from dxreport.build.pipeline import Request
        from dxreport.build.pipeline import build as build_packs

        request = Request(dataset, period, Path(out_dir) if out_dir else None, all_periods, final, jobs)
        says = report.Console(lambda line: click.echo(line, err=True), verbose)
        written = build_packs(request, warn=says.warning, findings=says.findings)
        for line in report.written(written):
            click.echo(line)
        for line in says.closing():
            click.echo(line, err=True)

    _run(body)


@main.command("new-period", help=N_("Start PERIOD (YYYY-MM): every indicator carried over, marked updated: false."))
@click.argument("period")
@DATASET
@option("--from", "source", help=N_("The period to carry over, YYYY-MM (default: the latest)."))
def new_period(period: str, dataset: str | None, source: str | None) -> None:
    def body() -> None:
        from dxreport.source.newperiod import create

        click.echo(_("wrote {path}").format(path=create(period, dataset, source)))

    _run(body)


@main.command("export-xlsx", help=N_("Write the input workbook (Excel) of PERIOD, YYYY-MM."))
@click.argument("period")
@DATASET
@option("-o", "--output", type=click.Path(dir_okay=False), help=N_("The workbook to write (default: DATASETNAME-PERIOD.xlsx here)."))
def export_xlsx(period: str | None, dataset: str | None, output: str | None) -> None:
    def body() -> None:
        from dxreport.source import dataset as ds_mod
        from dxreport.source.workbook import export, write_bytes

        data, chosen = export(dataset, period)
        target = Path(output) if output else Path(f"{ds_mod.resolve(dataset, None)[0].resolve().name}-{chosen}.xlsx")
        write_bytes(target, data)
        click.echo(_("wrote {path}").format(path=target))

    _run(body)


@main.command("import-xlsx", help=N_("Read a filled input workbook back into its period file (default: the dataset it names)."))
@click.argument("file", type=click.Path(dir_okay=False))
@DATASET
def import_xlsx(file: str, dataset: str | None) -> None:
    def body() -> None:
        from dxreport.source.workbook import import_

        _root, changed = import_(file, dataset)
        for path in changed:
            click.echo(_("updated {path}").format(path=path))
        if not changed:
            click.echo(_("no changes"))

    _run(body)


@main.command(help=N_("Read a proofread Word draft: its corrections (as a diff) and comments; --apply writes the corrections back."))
@click.argument("draft", type=click.Path(dir_okay=False))
@click.argument("dataset", required=False)
@option("--apply", "apply_", is_flag=True, help=N_("Write the draft's text corrections into the dataset's YAML files."))
def absorb(draft: str, dataset: str | None, apply_: bool) -> None:
    def body() -> None:
        from dxreport.build.absorb import absorb as absorb_draft

        for line in absorb_draft(draft, dataset, apply_).lines:
            click.echo(line)

    _run(body)


def _language_from(argv: list[str]) -> str | None:
    """--lang, read before click parses the arguments, so its own messages
    (a usage error, --help) come in the chosen language too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def run() -> None:
    """The ``dxreport`` command itself: ``main``, then leave at once.

    Everything is written, flushed and closed by then; tearing the interpreter
    down (collecting the fonts' and libraries' many objects) would only add a
    tenth of a second to every build. ``main`` stays an ordinary function for
    callers in Python.
    """
    import os

    i18n.use(_language_from(sys.argv[1:]))
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

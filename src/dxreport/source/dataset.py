"""Finding, loading and validating a dataset: a plan and its period files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from dxreport.source import textcheck, yamlfile
from dxreport.errors import DatasetError, Problem, UserError
from dxreport.i18n import _
from dxreport.japanese.period import YearMonth
from dxreport.source.schema import YEAR_TAGS, Period, Plan, full_width_number

PLAN_FILE = "plan.yaml"
PERIODS_DIR = "periods"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_IMAGE_BYTES = 20 * 2**20
MAX_IMAGE_SIDE = 10_000
JPEG_MODES = ("RGB", "L")  # colour and greyscale: what the PDF, Word and web pages all show alike

M = TypeVar("M", bound=BaseModel)


@dataclass
class Source:
    """One loaded file: where it is, how to name it, its raw document for line look-ups."""

    path: Path
    shown: str
    raw: Any

    def problem(self, loc: tuple[Any, ...], message: str) -> Problem:
        return Problem(self.shown, yamlfile.line_of(self.raw, loc), _dotted(loc), message)


@dataclass
class Dataset:
    root: Path
    plan: Plan
    plan_source: Source
    periods: dict[str, Period] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def period(self, name: str) -> Period:
        return self.periods[name]

    def previous(self, name: str) -> Period | None:
        prev = self.periods[name].previous
        return self.periods[prev] if prev else None

    @property
    def latest(self) -> str:
        return max(self.periods)


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def shown(path: Path) -> str:
    """A path as a user recognises it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def default_dataset(cwd: Path | None = None) -> Path:
    """The dataset named by ``data/index.yaml`` in the current folder."""
    data = (cwd or Path.cwd()) / "data"
    index = data / "index.yaml"
    if not index.is_file():
        raise UserError(
            _("no dataset given and no {index} here: run dxreport in the project folder "
              "or name a dataset folder (e.g. dxreport build data/aomori)").format(index=shown(index))
        )
    raw = yamlfile.load(index, shown(index))
    name = raw.get("default") if isinstance(raw, dict) else None
    if not isinstance(name, str) or not name:
        raise DatasetError([Problem(shown(index), yamlfile.line_of(raw, ()), "default", _("name the default dataset folder, e.g. 'default: aomori'"))])
    return data / name


def resolve(target: str | None, period: str | None) -> tuple[Path, str | None]:
    """DATASET may be a dataset folder or one of its period files."""
    path = Path(target) if target else default_dataset()
    if path.is_file() and path.suffix in (".yaml", ".yml") and path.parent.name == PERIODS_DIR:
        if period and period != path.stem:
            raise UserError(_("{file} is period {stem}, but --period {period} was given").format(
                file=shown(path), stem=path.stem, period=period))
        return path.parent.parent, path.stem
    if not path.exists():
        raise DatasetError([Problem(shown(path), None, "", _("file does not exist"))])
    if not path.is_dir():
        raise UserError(_("{file}: give a dataset folder (holding {plan}) or a file in its {periods}/").format(
            file=shown(path), plan=PLAN_FILE, periods=PERIODS_DIR))
    return path, period


def _validate(model: type[M], source: Source) -> M:
    try:
        return model.model_validate(yamlfile.plain(source.raw))
    except ValidationError as e:
        problems = []
        for err in e.errors(include_url=False):
            # Left out: pydantic's names for validators, and the "[key]" of a bad dict key.
            # Left out too: the tags of the shapes a basic target's year may take.
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (
                p.startswith("function-") or p == "[key]" or p in YEAR_TAGS)))
            problems.append(source.problem(loc, _message(err)))
        raise DatasetError(problems) from None


def _shown_value(value: Any, limit: int = 40) -> str:
    if isinstance(value, dt.datetime):
        text = value.isoformat(" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _read_as(value: Any) -> str:
    """What YAML read a value as, when it is not what its field needs."""
    if isinstance(value, bool):
        return _("true or false ({value})").format(value=str(value).lower())
    if value is None:
        return _("empty (~)")
    if isinstance(value, dt.date):
        return _("the date {date}").format(date=value.isoformat())
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping (key: value)")
    if isinstance(value, str):
        return _("the text '{text}'").format(text=_shown_value(value))
    return _("the number {value}").format(value=_shown_value(value))


def _message(err: dict[str, Any]) -> str:
    """pydantic's error as dxreport says it to the office: what is wrong and what to do,
    in the user's language (pydantic's own words are English only). The location
    (file, line, field) is said beside it."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    shown_value = _shown_value(value)
    text = value if isinstance(value, str) else None
    if kind == "missing":
        return _("required but missing")
    if kind == "extra_forbidden":
        return _("unknown key (a typo?)")
    if kind in ("value_error", "assertion_error"):
        # Our validators' own words, said in the user's language when they were raised.
        return str(ctx.get("error") or err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "too_long":
        return _("{count:,} items; at most {limit}").format(count=ctx.get("actual_length", 0), limit=ctx.get("max_length"))
    if kind == "too_short":
        return _("{count:,} items; at least {limit} needed").format(count=ctx.get("actual_length", 0), limit=ctx.get("min_length"))
    if kind == "string_too_short":
        return _("an empty text, where one is needed: write it, or leave the key out if it may be left out")
    if kind == "string_too_long":
        return _("{length:,} characters; at most {limit}").format(length=len(text or ""), limit=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        return _("'{text}' cannot be an id: an id is written in letters, digits, '-', '_' and '.', "
                 "starting with a letter or a digit").format(text=shown_value)
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        limit = next(iter(ctx.values()), "")
        said = {
            "greater_than": _("'{value}' is too small: it must be greater than {limit}"),
            "greater_than_equal": _("'{value}' is too small: it must be {limit} or more"),
            "less_than": _("'{value}' is too large: it must be less than {limit}"),
            "less_than_equal": _("'{value}' is too large: it must be {limit} or less"),
        }[kind]
        return said.format(value=shown_value, limit=limit)
    if kind.startswith(("int_", "float_", "decimal_", "bool_", "date_", "datetime_")) or kind == "finite_number":
        if text is not None and full_width_number(text):
            return _("'{text}' is written in full-width digits; type it in half-width digits").format(text=shown_value)
    if kind in ("decimal_parsing", "float_parsing") and text is not None:
        return _("not a number: '{text}'").format(text=shown_value)
    if kind in ("decimal_type", "float_type", "decimal_parsing", "float_parsing"):
        return _("a number is needed, but YAML reads this as {what}").format(what=_read_as(value))
    if kind == "finite_number":
        return _("'{value}' is not a finite number: write a number").format(value=shown_value)
    if kind in ("decimal_max_digits", "decimal_max_places", "decimal_whole_digits"):
        return _("'{value}' has too many digits").format(value=shown_value)
    if kind in ("int_parsing", "int_parsing_size") and text is not None:
        return _("'{text}' is not a whole number").format(text=shown_value)
    if kind == "int_from_float":
        return _("'{value}' is not a whole number: write it without decimals").format(value=shown_value)
    if kind.startswith("int_"):
        return _("a whole number is needed, but YAML reads this as {what}").format(what=_read_as(value))
    if kind.startswith("bool_"):
        if text is not None or isinstance(value, (int, Decimal)):
            return _("'{value}' is not true or false: write true or false").format(value=shown_value)
        return _("true or false is needed, but YAML reads this as {what}").format(what=_read_as(value))
    if kind == "date_from_datetime_inexact":
        return _("'{value}' holds a time of day: write the date only, as YYYY-MM-DD, e.g. 2026-02-04").format(value=shown_value)
    if kind.startswith(("date_", "datetime_")):
        if text is not None:
            return _("'{text}' is not a date; write a date as YYYY-MM-DD, e.g. 2026-02-04").format(text=shown_value)
        return _("a date is needed (YYYY-MM-DD, e.g. 2026-02-04), but YAML reads this as {what}").format(what=_read_as(value))
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return _("a mapping (key: value lines) is needed here, but YAML reads this as {what}").format(what=_read_as(value))
    if kind in ("list_type", "tuple_type", "set_type", "iterable_type"):
        return _("a list (lines starting with '- ') is needed here, but YAML reads this as {what}").format(what=_read_as(value))
    if kind in ("literal_error", "enum"):
        return _("'{value}' is not one of {expected}").format(value=shown_value, expected=ctx.get("expected", ""))
    if kind == "string_type":
        # YAML read the value as something other than text: say what, and how to keep it as typed.
        if isinstance(value, bool):
            return _("a text is needed, but YAML reads this as {value}: write it in quotes to keep it as text").format(
                value=str(value).lower())
        if isinstance(value, dt.date):
            return _("a text is needed, but YAML reads this as the date {date}: write it in quotes to keep it as text").format(
                date=value.isoformat())
        if value is None:
            return _('a text is needed, but this is empty (~): write "" for no text, or leave the key out')
        if isinstance(value, list):
            return _("a text is needed, not a list")
        if isinstance(value, dict):
            return _("a text is needed, not a mapping")
        return _("a text is needed, but YAML reads this as {what}").format(what=_read_as(value))
    # Any other: still said in the user's language, pydantic's words (English) kept for English.
    return _("this value cannot be used: {message} ({type})").format(message=err["msg"], type=kind)


def _load_source(path: Path) -> Source:
    name = shown(path)
    raw = yamlfile.load(path, name)
    if not isinstance(raw, dict):
        raise DatasetError([Problem(name, 1, "", _("expected a mapping of keys to values at the top of the file"))])
    return Source(path, name, raw)


def load(target: str | None = None, period: str | None = None) -> tuple[Dataset, str]:
    """Load and validate a dataset: the plan and every period file, every check
    there is (the schema, the references between files, the images, every
    string's characters and glyphs). Returns it and the period to work on.

    ``dxreport validate`` and every command that reads a dataset (``build``
    among them) run this same function, so they refuse the same input with the
    same messages; every problem found is reported at once.
    """
    root, period = resolve(target, period)
    plan_path = root / PLAN_FILE
    if not plan_path.is_file():
        raise DatasetError([Problem(shown(plan_path), None, "", _("file does not exist (a dataset folder holds plan.yaml)"))])
    problems: list[Problem] = []
    plan_source = _load_source(plan_path)
    plan = _validate(Plan, plan_source)
    problems.extend(_check_scoring(plan, plan_source))

    files = {p.stem: p for p in sorted((root / PERIODS_DIR).glob("*.yaml"))}
    if not files:
        raise DatasetError([Problem(shown(root / PERIODS_DIR), None, "", _("no period files (e.g. periods/2025-12.yaml)"))])
    if period is not None and not YearMonth.valid(period):
        raise UserError(_("'{text}' is not a period in the form YYYY-MM (e.g. 2025-12)").format(text=period))
    chosen = period or max(files)
    if chosen not in files:
        raise DatasetError([Problem(shown(root / PERIODS_DIR / f"{chosen}.yaml"), None, "", _("file does not exist (periods here: {periods})").format(periods=", ".join(files)))])

    ds = Dataset(root, plan, plan_source)
    for name, path in files.items():
        try:
            source = _load_source(path)
            ds.sources[name] = source
            per = _validate(Period, source)
        except DatasetError as e:
            problems.extend(e.problems)
            continue
        ds.periods[name] = per
        problems.extend(_check_period(ds, name, per, source, files))
    problems += _check_indicator_methods(ds)
    sources = [plan_source, *ds.sources.values()]
    problems += textcheck.control_characters(sources) + textcheck.glyphs(sources)
    if problems:
        raise DatasetError(problems)
    return ds, chosen


def _check_scoring(plan: Plan, source: Source) -> list[Problem]:
    """What the schema alone cannot see in how the plan scores its KPIs: every
    indicator of a weighted KPI weighted (and no weights elsewhere), and a grade
    scale of steps from the highest to 0, with neither a gap nor an overlap."""
    out: list[Problem] = []
    for f_i, f in enumerate(plan.fields):
        for k_i, k in enumerate(f.kpis):
            for i_i, ind in enumerate(k.indicators):
                loc = ("fields", f_i, "kpis", k_i, "indicators", i_i)
                if k.scoring == "weighted" and ind.weight is None and not ind.reference:  # a reference indicator is not scored
                    out.append(source.problem(loc, _(
                        "KPI '{kpi}' is a weighted mean (scoring: weighted), but indicator '{ident}' has no weight: "
                        "give it 'weight:' (a number greater than 0)").format(kpi=k.id, ident=ind.id)))
                elif k.scoring != "weighted" and ind.weight is not None:
                    out.append(source.problem((*loc, "weight"), _(
                        "indicator '{ident}' has a weight, but KPI '{kpi}' is not a weighted mean: "
                        "write 'scoring: weighted' on the KPI, or remove the weight").format(kpi=k.id, ident=ind.id)))
    seen: dict[str, int] = {}
    for n, g in enumerate(plan.grades):
        if g.grade in seen:
            out.append(source.problem(("grades", n, "grade"), _("grade '{grade}' is already defined (grades item {first})").format(
                grade=g.grade, first=seen[g.grade] + 1)))
        seen.setdefault(g.grade, n)
        if n == 0:
            continue
        above = plan.grades[n - 1]
        if g.min == above.min:
            out.append(source.problem(("grades", n, "min"), _(
                "grade '{grade}' starts at {min}%, as grade '{other}' does: the two overlap; "
                "give each grade its own lower bound").format(grade=g.grade, min=g.min, other=above.grade)))
        elif g.min > above.min:
            out.append(source.problem(("grades", n, "min"), _(
                "grade '{grade}' starts at {min}%, above grade '{other}' ({other_min}%) listed before it: "
                "list the grades from the highest to the lowest").format(
                    grade=g.grade, min=g.min, other=above.grade, other_min=above.min)))
    if plan.grades and plan.grades[-1].min != 0:
        last = plan.grades[-1]
        out.append(source.problem(("grades", len(plan.grades) - 1, "min"), _(
            "rates below {min}% have no grade: the last (lowest) grade must start at 0").format(min=last.min)))
    return out


def _check_period(ds: Dataset, name: str, per: Period, source: Source, files: dict[str, Path]) -> list[Problem]:
    """What the schema alone cannot see: references between the files."""
    plan = ds.plan
    out: list[Problem] = []
    if per.period != name:
        out.append(source.problem(("period",), _("says {period}, but the file is named {name}.yaml").format(period=per.period, name=name)))
    if per.previous and per.previous not in files:
        out.append(source.problem(("previous",), _("period {previous} does not exist (no {periods}/{previous}.yaml)").format(
            previous=per.previous, periods=PERIODS_DIR)))
    indicators = plan.indicators()
    for ident in per.values:
        if ident not in indicators:
            out.append(source.problem(("values", ident), _("unknown indicator id '{ident}' (not in {plan})").format(ident=ident, plan=PLAN_FILE)))
    for ident in indicators:
        if ident not in per.values:
            out.append(source.problem(("values",), _("no value for indicator '{ident}' (write '{ident}: {{value: ~}}' if it is not available)").format(
                ident=ident)))
    targets = {bt.id: bt for bt in plan.basic_targets}
    for ident, bt_values in per.basic_targets.items():
        bt = targets.get(ident)
        if bt is None:
            out.append(source.problem(("basic_targets", ident), _("unknown basic target id '{ident}'").format(ident=ident)))
            continue
        for year, yv in bt_values.years.items():
            fields = getattr(yv, "fields", None) or {}
            if fields and not bt.fields:
                out.append(source.problem(("basic_targets", ident, "years", year),
                                          _("has field values, but the plan does not average this basic target over fields")))
            for f in fields:
                if f not in bt.fields:
                    out.append(source.problem(("basic_targets", ident, "years", year, "fields", f),
                                              _("field '{field}' is not one of {fields}").format(field=f, fields=", ".join(bt.fields))))
    field_ids = {f.id for f in plan.fields}
    for ident, cases in per.cases.items():
        if ident not in field_ids:
            out.append(source.problem(("cases", ident), _("unknown field id '{ident}'").format(ident=ident)))
        for n, case in enumerate(cases):
            if case.image:
                msg = _image_problem(ds.root, case.image)
                if msg:
                    out.append(source.problem(("cases", ident, n, "image"), msg))
    return out


def _check_indicator_methods(ds: Dataset) -> list[Problem]:
    """What a plan's indicators say about their rates that must add up: a falling
    indicator's base (above its target and milestones), milestones within the
    plan's years (from the 年度 of the first period to the target year), none
    for a reference indicator."""
    plan, source = ds.plan, ds.plan_source
    out: list[Problem] = []
    years = [YearMonth.parse(p).fiscal_year for p in ds.periods]
    first, last = (min(years) if years else None), plan.plan.target_year
    for f_i, f in enumerate(plan.fields):
        for k_i, k in enumerate(f.kpis):
            for i_i, ind in enumerate(k.indicators):
                at = ("fields", f_i, "kpis", k_i, "indicators", i_i)
                if ind.reference:
                    if ind.milestones:
                        out.append(source.problem((*at, "milestones"), _(
                            "a reference indicator (reference: true) has no rate, so it takes no milestones: "
                            "remove them, or remove 'reference: true'")))
                    continue
                if ind.falling:
                    if ind.base is None:
                        out.append(source.problem((*at, "direction"), _(
                            "a falling indicator (direction: down) needs its base value: add 'base:' (the value its rate "
                            "is measured from) and 'base_note:' (the base's as-of note, e.g. R5年度)")))
                    else:
                        goals = [((*at, "target"), ind.target, _("the target"))] + [
                            ((*at, "milestones", y), m, _("the milestone for {year}").format(year=y)) for y, m in ind.milestones.items()]
                        for loc, goal, what in goals:
                            if goal is None:
                                continue
                            if ind.base == goal:
                                out.append(source.problem((*at, "base"), _(
                                    "the base {base} equals {what}: the rate (base − value) ÷ (base − target) would divide by zero").format(
                                        base=ind.base, what=what)))
                            elif ind.base < goal:
                                out.append(source.problem((*at, "base"), _(
                                    "the base {base} is below {what} ({goal}): a falling indicator (direction: down) starts "
                                    "above its target and falls towards it").format(base=ind.base, what=what, goal=goal)))
                elif ind.base is not None:
                    out.append(source.problem((*at, "base"), _(
                        "has a base, but only a falling indicator (direction: down) is measured from a base: "
                        "add 'direction: down', or remove the base")))
                for year in ind.milestones:
                    if year > last or (first is not None and year < first):
                        out.append(source.problem((*at, "milestones", year), _(
                            "the milestone year {year} is outside the plan: its periods run from the fiscal year {first} "
                            "to the target year {last}").format(year=year, first=first if first is not None else last, last=last)))
    return out


def _image_problem(root: Path, image: str) -> str | None:
    path = (root / image).resolve()
    if not path.is_relative_to(root.resolve()):
        return _("'{image}' lies outside the dataset folder").format(image=image)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return _("'{image}' is not a PNG or JPEG file").format(image=image)
    if not path.is_file():
        return _("'{image}' does not exist").format(image=image)
    if path.stat().st_size > MAX_IMAGE_BYTES:
        return _("'{image}' is larger than {size} MB; use a smaller photo").format(image=image, size=MAX_IMAGE_BYTES // 2**20)
    return _image_content_problem(path, image)


def _image_content_problem(path: Path, image: str) -> str | None:
    """The file must really be a PNG or JPEG of sane dimensions, whatever its name says,
    and every renderer must be able to read all of it: it is decoded here in full."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            # The size is held to MAX_IMAGE_SIDE below, not to Pillow's guard against
            # decompression bombs (which warns from 89 megapixels: 10,000 × 10,000 is 100).
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                kind, (w, h), mode, dpi = img.format, img.size, img.mode, img.info.get("dpi")
                if kind == "JPEG" and mode in JPEG_MODES and 1 <= w <= MAX_IMAGE_SIDE and 1 <= h <= MAX_IMAGE_SIDE:
                    # Every byte decoded, at an eighth of the size: a photo of any size in a few MB.
                    img.draft(mode, (max(1, w // 8), max(1, h // 8)))
                    try:
                        img.load()
                    except Exception:  # noqa: BLE001 - whatever the decoder says, the photo cannot be used
                        return _("'{image}' is damaged or cut short: its image data cannot be read in full; "
                                 "copy or save it again").format(image=image)
    except Image.DecompressionBombError:
        return _("'{image}' is larger than {limit:,} pixels on a side").format(image=image, limit=MAX_IMAGE_SIDE)
    except Exception:  # noqa: BLE001 - any failure to read means "not an image we can use"
        return _("'{image}' is not a readable PNG or JPEG image").format(image=image)
    if kind not in ("PNG", "JPEG"):
        return _("'{image}' is a {kind} image, not PNG or JPEG").format(image=image, kind=kind)
    if not (1 <= w <= MAX_IMAGE_SIDE and 1 <= h <= MAX_IMAGE_SIDE):
        return _("'{image}' is {width}×{height} pixels; at most {limit:,} on a side").format(
            image=image, width=w, height=h, limit=MAX_IMAGE_SIDE)
    if kind == "JPEG" and mode == "CMYK":
        return _("'{image}' is a CMYK JPEG (print colours); save it as an RGB JPEG (screen colours) and use that file").format(image=image)
    if kind == "JPEG" and mode not in JPEG_MODES:
        return _("'{image}' is a {mode} JPEG; save it as an RGB JPEG (screen colours) and use that file").format(image=image, mode=mode)
    if kind == "JPEG" and _jpeg_header(path) not in (b"JFIF", b"Exif"):
        # Word documents (python-docx) recognise a JPEG by one of these two headers only.
        return _("'{image}' is a JPEG without a JFIF or Exif header, which Word cannot place; save it again as JPEG").format(image=image)
    if dpi is not None and not all(0.5 <= float(d) <= 100_000 for d in dpi):
        return _("'{image}' says its resolution is {x:g}×{y:g} dpi; save it again with a usual one (e.g. 72 or 300 dpi)").format(
            image=image, x=dpi[0], y=dpi[1])
    if kind == "PNG":
        damage = _png_damage(path)
        if damage:
            return _("'{image}' is damaged or cut short ({damage}); copy or save it again").format(image=image, damage=damage)
    return None


def _jpeg_header(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(10)[6:10]


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _png_damage(path: Path) -> str | None:
    """What is wrong with a PNG's chunks and image data, or None: every chunk whole
    (its CRC), and the image data inflating to every row the header promises, each
    row with a valid filter. Read as a stream, so that a 10,000 × 10,000 image is
    checked without holding its 300 MB of pixels (as decoding it with Pillow would)."""
    import struct
    import zlib

    rows: list[int] = []  # the length of every row of the image data, filter byte included
    inflater = zlib.decompressobj()
    row, at, ended = 0, 0, False  # the row being read, and the position in it

    def take(data: bytes) -> None:
        nonlocal row, at
        pos = 0
        while pos < len(data) and row < len(rows):
            if at == 0 and data[pos] > 4:
                raise ValueError(_("row {row} has the unknown filter {filter}").format(row=row + 1, filter=data[pos]))
            step = min(rows[row] - at, len(data) - pos)
            pos, at = pos + step, at + step
            if at == rows[row]:
                row, at = row + 1, 0

    with open(path, "rb") as fh:
        if fh.read(8) != _PNG_SIGNATURE:
            return _("no PNG signature")
        try:
            while not ended:
                head = fh.read(8)
                if len(head) < 8:
                    return _("the file ends before its last chunk")
                length, kind = struct.unpack(">I4s", head)
                crc = zlib.crc32(kind)
                left = length
                while left:
                    block = fh.read(min(left, 1 << 16))
                    if not block:
                        return _("the file ends inside a chunk")
                    left -= len(block)
                    crc = zlib.crc32(block, crc)
                    if kind == b"IHDR":
                        w, h, depth, colour, _method, _filter, interlace = struct.unpack(">IIBBBBB", block[:13])
                        bits = depth * _PNG_CHANNELS.get(colour, 1)
                        passes = _ADAM7 if interlace else ((0, 0, 1, 1),)
                        for x0, y0, dx, dy in passes:
                            pw, ph = -(-(w - x0) // dx), -(-(h - y0) // dy)
                            if pw > 0 and ph > 0:
                                rows.extend([1 + -(-pw * bits // 8)] * ph)
                    elif kind == b"IDAT":
                        data = block
                        while data and row < len(rows) and not inflater.eof:
                            # Never more than the rows still missing: extra data is not inflated.
                            out = inflater.decompress(data, 1 << 20)
                            take(out)
                            data = inflater.unconsumed_tail
                tail = fh.read(4)
                if len(tail) < 4 or struct.unpack(">I", tail)[0] != crc & 0xFFFFFFFF:
                    return _("the {chunk} chunk is damaged (its checksum does not match)").format(chunk=kind.decode("latin-1"))
                ended = kind == b"IEND"
        except ValueError as e:
            return str(e)
        except (zlib.error, struct.error) as e:
            return _("its image data cannot be read: {error}").format(error=e)
    if row < len(rows):
        return _("its image data ends after {row:,} of {rows:,} rows").format(row=row, rows=len(rows))
    return None

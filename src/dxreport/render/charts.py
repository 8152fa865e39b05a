"""Drawing the pack's charts with matplotlib, once each.

A chart is drawn once into a figure and kept as SVG with its text as real text
(for the PDF, where it stays vector and selectable, and for HTML) and as PNG
on demand (for Word). Every format shows the same drawing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import matplotlib

matplotlib.use("Agg")  # no screen here; also avoids choosing a GUI backend at import

# Figures made directly, not through pyplot: nothing global keeps them (a
# build --all draws many), and savefig picks the SVG or Agg canvas itself.
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator, StrMethodFormatter  # noqa: E402

from dxreport.typeset import fonts  # noqa: E402
from dxreport.typeset import kinsoku  # noqa: E402
from dxreport.typeset import theme  # noqa: E402
from dxreport.render.drawings import PNG_DPI, Known  # noqa: E402
from dxreport.model.pack import Chart  # noqa: E402

LOOK = theme.load().chart
# The theme's colours are chosen for contrast on white and for greyscale printing;
# every bar also carries its value as text, so colour never carries the meaning alone.
COLOURS = theme.load().colours
CURRENT = COLOURS.tile.hex
PREVIOUS = COLOURS.previous.hex
TARGET = COLOURS.target.hex
TEXT = COLOURS.chart_text.hex
GRID = COLOURS.chart_grid.hex
ON_BAR = COLOURS.white.hex  # a value written inside its bar

SIZES = {"yearly": (LOOK.yearly.width, LOOK.yearly.height), "compare": (LOOK.compare.width, LOOK.compare.height)}  # inches
# A chart is drawn at the size it is printed: no wider than the landscape page's text.
_PAGE = theme.load().page
WIDEST = (297 - max(_PAGE.landscape.left + _PAGE.landscape.right, _PAGE.word_landscape.left + _PAGE.word_landscape.right)) / 25.4 - 0.05


def _setup() -> None:
    family = fonts.register_matplotlib()
    matplotlib.rcParams.update({
        "font.family": family,
        "font.size": LOOK.font_size,
        "svg.fonttype": "none",  # text stays text
        "svg.hashsalt": "dxreport",  # stable ids: the same chart gives the same bytes
        "axes.edgecolor": COLOURS.chart_axis.hex,
        "axes.labelcolor": TEXT,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "axes.unicode_minus": False,
    })


def wrap_label(text: str, per_line: float = 11, words: bool = True) -> str:
    """Category labels are wrapped at ``per_line`` ems (a Latin letter or digit about half
    one), with the same kinsoku rules as body text and, with ``words``, no word split
    (サービス stays whole)."""
    # A tab has no glyph in the chart's font: it stands for a space.
    return "\n".join(kinsoku.break_lines(text.replace("\t", " "), lambda s: _text_width(s, 1.0), per_line, words=words))


def _f(v: Decimal | None) -> float | None:
    # Plot positions only; every printed number comes from the pack model's labels.
    return None if v is None else float(v)


@dataclass
class Drawn:
    chart: Chart
    figure: Figure

    @cached_property
    def svg(self) -> str:
        buf = io.StringIO()
        self.figure.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        # The layout is settled by this first drawing; the PNG reuses it rather
        # than running the layout engine again.
        self.figure.set_layout_engine("none")
        return buf.getvalue()

    @cached_property
    def png(self) -> bytes:
        self.svg  # noqa: B018 -- the layout comes from the SVG's drawing, so both match
        buf = io.BytesIO()
        # zlib level 1: a PNG a few per cent larger, written in half the time.
        self.figure.savefig(buf, format="png", dpi=PNG_DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
        return buf.getvalue()

def size(chart: Chart) -> tuple[float, float]:
    """The chart's printed size in inches: its figure's size, so its text sizes
    are the sizes on paper. A comparison of more than three KPIs is wider."""
    if chart.narrow:
        # A phone's copy: as wide as a phone's text column; its bars lie across, so each
        # category makes it taller instead.
        bars = len(chart.categories) * (len(chart.series) if chart.kind == "compare" else 1)
        return LOOK.phone_width, LOOK.phone_base + max(bars, 2) * LOOK.phone_bar
    width, height = SIZES.get(chart.kind, (5, 2.5))
    if chart.kind == "compare":
        width = min(max(width, width + (len(chart.categories) - 3) * LOOK.compare_category), WIDEST)
    return width, height


_text_width = kinsoku.estimate_width


def draw(chart: Chart) -> Drawn:
    _setup()
    across = chart.narrow
    # A phone's copy is laid out here (_place): its one plot area goes where its labels and
    # legend leave room, found in one measuring pass, where the layout engine takes two and
    # a drawing (a third of the web pages' phone copies' drawing time).
    fig = Figure(figsize=size(chart), layout=None if across else "constrained")
    ax = fig.subplots()
    if across:
        _across(ax, chart)
    elif chart.kind == "compare":
        _compare(ax, chart)
    else:
        _yearly(ax, chart)
    ax.spines[["top", "right"]].set_visible(False)
    values = ax.xaxis if across else ax.yaxis
    values.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    values.grid(True, color=GRID, linewidth=LOOK.grid)
    ax.set_axisbelow(True)
    if across:
        _place(fig, ax)
    return Drawn(chart, fig)


PAD = 4  # pt between the figure's edge and what it holds, as the layout engine leaves


def _place(fig: Figure, ax) -> None:
    """The plot area as large as the figure leaves it, its tick labels, axis label and the
    legend above it all inside the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    # Text is measured with the same font metrics whichever canvas draws it.
    renderer = FigureCanvasAgg(fig).get_renderer()
    pad = PAD * fig.dpi / 72
    width, height = fig.bbox.width, fig.bbox.height
    top = height - pad
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        legend.set_bbox_to_anchor((pad / width, 1 - pad / height), transform=fig.transFigure)
        top -= box.height + pad
    inner = ax.get_window_extent(renderer)
    outer = ax.get_tightbbox(renderer, for_layout_only=True)
    left = pad + (inner.x0 - outer.x0)
    right = width - pad - (outer.x1 - inner.x1)
    bottom = pad + (inner.y0 - outer.y0)
    top -= outer.y1 - inner.y1
    ax.set_position([left / width, bottom / height, (right - left) / width, (top - bottom) / height])


def _ylim(ax, chart: Chart, values: list[float]) -> float:
    top = max([v for v in values if v is not None] + [_f(chart.target) or 0, 1])
    if chart.y_max is not None:
        top = max(top, float(chart.y_max))
    # A negative value extends the axis downwards: a bar far outside the axes
    # would otherwise overflow the rasteriser (and hide the value).
    bottom = min([v for v in values if v is not None] + [0])
    span = top - bottom
    ax.set_ylim(bottom - (span * 0.05 if bottom < 0 else 0), top + span * 0.12)
    return span


BAR = 0.7  # a yearly chart's bar, as a share of its category's width


def _yearly(ax, chart: Chart) -> None:
    series = chart.series[0]
    xs = list(range(len(chart.categories)))
    values = [_f(v) for v in series.values]
    handles = []
    top = _ylim(ax, chart, values)
    if xs:
        bars = ax.bar([x for x, v in zip(xs, values) if v is not None], [v for v in values if v is not None],
                      color=CURRENT, width=BAR, label=series.label)
        handles.append(bars)
        # The bar's width in pt, at the least (the plot area is the figure less the axis and its
        # labels, up to 1.1 in of it): a value goes inside the bar only where it fits with room to
        # spare, since white on the page beside a bar is invisible.
        bar_pt = BAR * (ax.figure.get_figwidth() - 1.1) * 72 / len(xs)
        for x, v, label in zip(xs, values, series.labels):
            if v is not None and v > top * 0.3 and _text_width(label, LOOK.value_size) * 1.1 <= bar_pt - 6:
                # Inside the bar's top, so a target line just above can never cross it.
                ax.text(x, v - top * 0.03, label, ha="center", va="top", fontsize=LOOK.value_size, color=ON_BAR, fontweight="bold")
            else:
                # On the page's white, over the target line where the two meet: a dashed line
                # through a figure reads as that figure struck out.
                ax.text(x, (v or 0) + top * 0.02, label, ha="center", va="bottom", fontsize=LOOK.value_size, color=TEXT,
                        zorder=4, bbox=dict(facecolor=ON_BAR, edgecolor="none", pad=0.6))
        # A year's label (2019年度) as wide as its category goes on two lines (2019 / 年度).
        per_line = min(8.0, (ax.figure.get_figwidth() - 0.7) * 72 / len(xs) * 0.8 / LOOK.font_size)
        ax.set_xticks(xs, [wrap_label(c, per_line, words=False) for c in chart.categories])
        # Every category inside the axis, with equal margins, whether or not its bar has a value
        # (a first year without one would otherwise start the axis at the second bar).
        ax.set_xlim(-0.5, len(xs) - 0.5)
    else:
        ax.set_axis_off()  # no values at all: one plain notice instead of empty axes
        ax.text(0.5, 0.5, chart.missing_label or "", transform=ax.transAxes, ha="center", va="center", fontsize=LOOK.notice_size, color=TEXT)
    if chart.target is not None:
        line = ax.axhline(float(chart.target), color=TARGET, linestyle="--", linewidth=LOOK.target, label=chart.target_label)
        handles.append(line)
    if chart.missing_label and xs:
        handles.append(Patch(facecolor="none", edgecolor="none", label=chart.missing_label))
    if chart.axis_label:
        ax.set_ylabel(chart.axis_label)
    if handles:
        _legend(ax, handles)


def _compare(ax, chart: Chart) -> None:
    n = len(chart.series)
    width = 0.8 / n
    xs = list(range(len(chart.categories)))
    all_values = [_f(v) for s in chart.series for v in s.values]
    top = _ylim(ax, chart, all_values)
    # Light with a dark outline against solid dark: told apart in greyscale too.
    # (No hatching: the PDF's SVG import does not support pattern fills.)
    styles = [dict(color=PREVIOUS, edgecolor=COLOURS.previous_edge.hex), dict(color=CURRENT, edgecolor=CURRENT)]
    styles = styles[-n:]
    for i, s in enumerate(chart.series):
        offs = [x + (i - (n - 1) / 2) * width for x in xs]
        vals = [_f(v) for v in s.values]
        ax.bar([o for o, v in zip(offs, vals) if v is not None], [v for v in vals if v is not None],
               width=width * 0.92, label=s.label, linewidth=LOOK.bar_edge, **styles[i])
        for o, v, label in zip(offs, vals, s.labels):
            ax.text(o, (v if v is not None else 0) + top * 0.02, label, ha="center", va="bottom", fontsize=LOOK.compare_value_size, color=TEXT)
    # Every category inside the axis with equal margins, whether or not its bars have values
    # (with none at all, one category left the axis a sliver around 0 and the layout engine gave up).
    ax.set_xlim(-0.5, max(len(xs), 1) - 0.5)
    # As many characters a line as a category's width holds at the label's size (the chart widens
    # with its KPIs up to the page's width, then the lines narrow): labels never run into each other.
    category_pt = (ax.figure.get_figwidth() - 0.7) * 72 / max(len(xs), 1)
    per_line = max(3.0, min(14.0, category_pt * 0.95 / LOOK.font_size))
    ax.set_xticks(xs, [wrap_label(c, per_line) for c in chart.categories])
    ax.set_ylabel(chart.axis_label)
    handles, _ = ax.get_legend_handles_labels()
    if chart.missing_label:
        handles.append(Patch(facecolor="none", edgecolor="none", label=chart.missing_label))
    _legend(ax, handles)


def _across(ax, chart: Chart) -> None:
    """A chart for a phone: the bars lie across, one category under the other, so the labels
    have the chart's width and each value its room beside its bar however many categories
    there are (side by side, a phone's width leaves a value less room than its text)."""
    n = max(len(chart.series), 1)
    height = 0.8 / n if chart.kind == "compare" else BAR
    ys = list(range(len(chart.categories)))
    all_values = [_f(v) for s in chart.series for v in s.values]
    if not ys or all(v is None for v in all_values) and chart.kind != "compare":
        ax.set_axis_off()  # no values at all: one plain notice instead of empty axes
        ax.text(0.5, 0.5, chart.missing_label or "", transform=ax.transAxes, ha="center", va="center", fontsize=LOOK.notice_size, color=TEXT)
        return
    top = max([v for v in all_values if v is not None] + [_f(chart.target) or 0, _f(chart.y_max) or 0, 1])
    bottom = min([v for v in all_values if v is not None] + [0])
    span = top - bottom
    right = top + span * 0.3  # room after the longest bar for its value (100.0% is about a fifth of the axis)
    if chart.kind == "compare":
        styles = [dict(color=PREVIOUS, edgecolor=COLOURS.previous_edge.hex), dict(color=CURRENT, edgecolor=CURRENT)][-n:]
        size = LOOK.compare_value_size
    else:
        styles = [dict(color=CURRENT)]
        size = LOOK.value_size
    # The plot area's width in pt, at the least: the figure less the labels (a third) and the margins.
    plot_pt = ax.figure.get_figwidth() * 72 * 0.62 - 12
    handles = []
    for i, s in enumerate(chart.series):
        offs = [y + (i - (n - 1) / 2) * height for y in ys]
        vals = [_f(v) for v in s.values]
        handles.append(ax.barh([o for o, v in zip(offs, vals) if v is not None], [v for v in vals if v is not None],
                               height=height * 0.92, label=s.label, linewidth=LOOK.bar_edge if chart.kind == "compare" else 0,
                               **styles[i]))
        for o, v, label in zip(offs, vals, s.labels):
            text_pt = _text_width(label, size) * 1.1
            # Beside its bar, unless the target line would cross it there: then inside the end of
            # a dark bar where it fits with room to spare (white on a light bar is not read).
            crossed = (chart.target is not None and v is not None
                       and v < float(chart.target) <= v + span * 0.02 + text_pt / plot_pt * (right - bottom))
            if crossed and i == n - 1 and text_pt <= (v or 0) / (right - bottom) * plot_pt - 6:
                ax.text(v - span * 0.02, o, label, ha="right", va="center", fontsize=size, color=ON_BAR, fontweight="bold")
            else:
                ax.text(max(v or 0, 0) + span * 0.02, o, label, ha="left", va="center", fontsize=size, color=TEXT)
    ax.set_xlim(bottom - (span * 0.05 if bottom < 0 else 0), right)
    # Few ticks: the axis is a phone's width less the labels.
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    ax.set_xticks([t for t in ax.get_xticks() if bottom <= t <= top])
    ax.set_ylim(len(ys) - 0.5, -0.5)  # the first category on top, as it is read
    # The labels take at most about a third of the chart's width.
    per_line = max(3.0, ax.figure.get_figwidth() * 72 * 0.3 / LOOK.font_size)
    ax.set_yticks(ys, [wrap_label(c, per_line) for c in chart.categories])
    if chart.target is not None:
        handles.append(ax.axvline(float(chart.target), color=TARGET, linestyle="--", linewidth=LOOK.target, label=chart.target_label))
    if chart.axis_label:
        ax.set_xlabel(chart.axis_label)
    if chart.missing_label:
        handles.append(Patch(facecolor="none", edgecolor="none", label=chart.missing_label))
    # Above the whole figure, not the plot area: the labels beside it leave the plot too narrow.
    _legend(ax, handles, whole=True)


def _legend(ax, handles, whole: bool = False) -> None:
    # Above the plot area, so it never hides a bar, a value or the target line; in as many
    # columns as fit the figure's width (one row if they all do), so no entry is cut off.
    labels = [h.get_label() for h in handles]
    room = ax.figure.get_figwidth() * 72 - 10
    ncols = 1
    for k in range(len(labels), 0, -1):
        # matplotlib fills the columns first, the first ones one longer (numpy's array_split);
        # each entry is its handle (1.6 em), its gap to the text (0.8 em), the text and the
        # gap between columns (2 em).
        q, r = divmod(len(labels), k)
        starts = [c * q + min(c, r) for c in range(k + 1)]
        cols = [labels[starts[c]:starts[c + 1]] for c in range(k)]
        width = sum(max((_text_width(x, LOOK.legend_size) for x in col), default=0) + 4.4 * LOOK.legend_size for col in cols)
        if width <= room:
            ncols = k
            break
    if whole:
        # Placed over the plot area by _place.
        ax.figure.legend(handles=handles, loc="upper left", fontsize=LOOK.legend_size, frameon=False,
                         ncols=ncols, borderaxespad=0, handlelength=1.6)
        return
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.01), fontsize=LOOK.legend_size, frameon=False,
              ncols=ncols, borderaxespad=0, handlelength=1.6)


class ChartSet:
    """Charts, each drawn once and shared by every renderer, kept in ``known``
    (a chart drawn for an earlier pack is taken from there). A figure is let go
    once both its drawings are made."""

    def __init__(self, known: Known | None = None):
        self._drawn: dict[Chart, Drawn] = {}
        self._known = known if known is not None else Known()

    def get(self, chart: Chart) -> Drawn:
        if chart not in self._drawn:
            self._drawn[chart] = draw(chart)
        return self._drawn[chart]

    def svg(self, chart: Chart) -> str:
        if chart not in self._known.svgs:
            self._known.svgs[chart] = self.get(chart).svg
        return self._known.svgs[chart]

    def png(self, chart: Chart) -> bytes:
        if chart not in self._known.pngs:
            self._known.pngs[chart] = self.get(chart).png
        # Both drawings are known now: the figure is not needed again. (Without
        # pyplot nothing else holds it; Figure.clear() would only cost time.)
        self._drawn.pop(chart, None)
        return self._known.pngs[chart]

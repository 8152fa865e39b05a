"""The shipped Aomori data reproduces every figure of the seed's appendix."""

from dxreport.source import dataset
from dxreport.japanese import formatting
from dxreport.compute.figures import compute

from conftest import AOMORI, run
from published import KPI_NAMES, KPIS, PUBLISHED


def figures():
    ds, period = dataset.load(str(AOMORI))
    assert period == "2025-12"
    return compute(ds, period)


def test_all_60_rates_and_values():
    fig = figures()
    seen = {}
    for i in fig.indicators():
        ind = i.indicator
        seen[ind.id] = {
            "prev_rate": f"{i.previous_rate}",
            "curr_rate": f"{i.current_rate}",
            "prev_value": formatting.number(i.previous.value, ind.decimals, ind.unit),
            "curr_value": formatting.number(i.current.value, ind.decimals, ind.unit),
        }
    assert len(seen) == 30
    assert seen == PUBLISHED


def test_all_16_kpi_figures_and_8_differences():
    fig = figures()
    got = {
        k.kpi.id: {"prev": f"{k.previous}", "curr": f"{k.current}", "diff": formatting.points(k.diff).removesuffix("ポイント")}
        for k in fig.kpis()
    }
    assert got == KPIS
    assert {k.kpi.id: k.kpi.name for k in fig.kpis()} == KPI_NAMES


def test_municipal_basic_target_is_the_mean_of_fields():
    fig = figures()
    municipal = next(b for b in fig.basic_targets if b.target.id == "municipal-share")
    assert str(municipal.latest.value) == "86.7"
    assert municipal.latest.year == 2025
    assert str(municipal.change) == "22.5"


def test_summary_prints_the_published_figures():
    result = run("summary")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for kpi_id, name in KPI_NAMES.items():
        line = next(x for x in lines if name in x)
        k = KPIS[kpi_id]
        assert f"{k['prev']}%" in line and f"{k['curr']}%" in line and f"{k['diff']}ポイント" in line, line
    for ind_id, p in PUBLISHED.items():
        line = next(x for x in lines if x.startswith(ind_id + " "))
        cells = line.split()
        assert cells[2:] == [p["prev_value"], p["prev_rate"] + "%", p["curr_value"], p["curr_rate"] + "%"], line

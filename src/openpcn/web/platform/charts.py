"""Every chart the product draws, as a Vega-Lite spec (pure: plain data in, dicts out).

Pages embed the spec and show the same figures as a table beside it."""

from __future__ import annotations

NHS_BLUE = "#005eb8"
BAND_FILL = "#ffeb3b"


def size_histogram(populations: list[int], low: int, high: int, bin_width: int = 5000) -> dict:
    """Histogram of PCN registered populations with the [low, high] band shaded."""
    top = max([high + bin_width, *populations]) if populations else high + bin_width
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 280,
        "layer": [
            {
                "data": {"values": [{"low": low, "high": high}]},
                "mark": {"type": "rect", "color": BAND_FILL, "opacity": 0.5},
                "encoding": {
                    "x": {"field": "low", "type": "quantitative"},
                    "x2": {"field": "high"},
                },
            },
            {
                "data": {"values": [{"population": p} for p in populations]},
                "mark": {"type": "bar", "color": NHS_BLUE},
                "encoding": {
                    "x": {
                        "field": "population",
                        "type": "quantitative",
                        "bin": {"step": bin_width, "extent": [0, top]},
                        "title": "Registered patients",
                    },
                    "y": {"aggregate": "count", "type": "quantitative", "title": "PCNs"},
                    "tooltip": [{"aggregate": "count", "type": "quantitative", "title": "PCNs"}],
                },
            },
        ],
    }


def _line_over_time(
    points: list[dict],
    y: dict,
    tooltip: list[dict] | None = None,
    *,
    x_title: str = "Extract date",
    color: dict | None = None,
) -> dict:
    """A line with points against date (``x_title``); ``y`` is the y encoding; ``color`` an
    encoding that draws one line per group (else one NHS blue line)."""
    encoding = {"x": {"field": "date", "type": "temporal", "title": x_title}, "y": y}
    if tooltip:
        encoding["tooltip"] = tooltip
    if color:
        encoding["color"] = color
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 220,
        "data": {"values": points},
        "mark": {"type": "line", "point": True} | ({} if color else {"color": NHS_BLUE}),
        "encoding": encoding,
    }


def share_over_time(points: list[dict]) -> dict:
    """points: [{'date': 'YYYY-MM-DD', 'in_band_pct': float}]"""
    y = {
        "field": "in_band_pct",
        "type": "quantitative",
        "title": "% of PCNs in band",
        "scale": {"domain": [0, 100]},
    }
    return _line_over_time(points, y)


def age_pyramid(rows: list[dict]) -> dict:
    """rows: [{'age': '0_4', 'sex': 'FEMALE', 'who': 'This PCN', 'pct': 3.1}] (pct of total)."""
    order = [r["age"] for r in rows if r["sex"] == "FEMALE" and r["who"] == rows[0]["who"]]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 360,
        "data": {
            "values": [{**r, "signed": -r["pct"] if r["sex"] == "MALE" else r["pct"]} for r in rows]
        },
        "mark": {"type": "bar", "opacity": 0.75},
        "encoding": {
            "y": {"field": "age", "type": "ordinal", "sort": list(reversed(order)), "title": "Age"},
            "x": {
                "field": "signed",
                "type": "quantitative",
                "stack": None,
                "title": "% of registered patients (male left, female right)",
            },
            "color": {
                "field": "who",
                "type": "nominal",
                "title": "",
                "scale": {"range": [NHS_BLUE, "#ae2573"]},
            },
            "tooltip": [
                {"field": "who"},
                {"field": "sex"},
                {"field": "age"},
                {"field": "pct", "type": "quantitative", "format": ".2f"},
            ],
        },
    }


def list_size_trend(points: list[dict]) -> dict:
    """points: [{'date': 'YYYY-MM-DD', 'patients': int}]"""
    y = {"field": "patients", "type": "quantitative", "title": "Registered patients"}
    tooltip = [
        {"field": "date", "type": "temporal"},
        {"field": "patients", "type": "quantitative", "format": ","},
    ]
    return _line_over_time(points, y, tooltip)


def iif_comparison_spec(year, indicator: str, pcn_code: str, icb_members: set[str]) -> dict:
    """One IIF indicator's achievement: this PCN, its ICB's PCNs and the rest of England."""
    values = []
    for r in year.results:
        if r.indicator != indicator or r.achievement_pct is None:
            continue
        who = (
            "This PCN"
            if r.pcn_code == pcn_code
            else ("Same ICB" if r.pcn_code in icb_members else "Rest of England")
        )
        values.append({"pcn": r.pcn_code, "pct": float(r.achievement_pct), "who": who})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 120,
        "data": {"values": values},
        "mark": {"type": "tick", "thickness": 2},
        "encoding": {
            "x": {
                "field": "pct",
                "type": "quantitative",
                "title": f"{indicator} achievement %",
                "scale": {"zero": False},
            },
            "y": {
                "field": "who",
                "type": "nominal",
                "title": None,
                "sort": ["This PCN", "Same ICB", "Rest of England"],
            },
            "color": {
                "field": "who",
                "type": "nominal",
                "legend": None,
                "scale": {
                    "domain": ["This PCN", "Same ICB", "Rest of England"],
                    "range": ["#d5281b", "#005eb8", "#aeb7bd"],
                },
            },
            "tooltip": [{"field": "pcn"}, {"field": "pct", "type": "quantitative"}],
        },
    }


def workforce_benchmark_spec(pcn) -> dict:
    """FTE per 10,000 patients by role: this PCN against the ICB and England medians."""
    values = []
    for rb in pcn.roles.values():
        if rb.role in ("all_staff",):
            continue
        values += [
            {"role": rb.role_name, "who": "This PCN", "per10k": float(rb.rate.value)},
            {"role": rb.role_name, "who": "ICB median", "per10k": float(rb.icb.median.value)},
            {
                "role": rb.role_name,
                "who": "England median",
                "per10k": float(rb.england.median.value),
            },
        ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "role", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "who"},
            "x": {"field": "per10k", "type": "quantitative", "title": "FTE per 10,000 patients"},
            "color": {
                "field": "who",
                "type": "nominal",
                "title": None,
                "scale": {"range": ["#005eb8", "#768692", "#ae2573"]},
            },
            "tooltip": [
                {"field": "role"},
                {"field": "who"},
                {"field": "per10k", "type": "quantitative", "format": ".2f"},
            ],
        },
    }


def decile_bars(rows: list[tuple[int, int]]) -> dict:
    """LSOAs per IMD decile (1 = most deprived 10% of England): rows [(decile, lsoas)]."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 240,
        "data": {"values": [{"decile": d, "lsoas": n} for d, n in rows]},
        "mark": {"type": "bar", "color": NHS_BLUE},
        "encoding": {
            "x": {
                "field": "decile",
                "type": "ordinal",
                "title": "IMD 2025 decile (1 = most deprived 10%)",
                "axis": {"labelAngle": 0},
            },
            "y": {"field": "lsoas", "type": "quantitative", "title": "LSOAs"},
            "tooltip": [
                {"field": "decile", "type": "ordinal", "title": "Decile"},
                {"field": "lsoas", "type": "quantitative", "title": "LSOAs"},
            ],
        },
    }


def scores_over_time(points: list[dict]) -> dict:
    """points: [{'date': 'YYYY-MM-DD', 'domain': str, 'score': 1..4}]: one line a domain
    (the maturity self-assessment over time)."""
    y = {"field": "score", "type": "quantitative", "title": "Score (1 to 4)",
         "scale": {"domain": [1, 4]}, "axis": {"tickMinStep": 1}}  # fmt: skip
    tooltip = [{"field": "domain"}, {"field": "date", "type": "temporal"}, {"field": "score"}]
    color = {"field": "domain", "type": "nominal", "title": "Domain"}
    return _line_over_time(points, y, tooltip, x_title="Self-assessment date", color=color)


def share_bars(rows: list[dict], axis: str, what: str = "% of patients") -> dict:
    """Horizontal bars of shares: rows [{'name': str, 'pct': float}] (largest first; rows with
    no share, such as suppressed small numbers, left out by the caller)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": {"step": 22},
        "data": {"values": rows},
        "mark": {"type": "bar", "color": NHS_BLUE},
        "encoding": {
            "y": {"field": "name", "type": "nominal", "sort": "-x", "title": axis},
            "x": {"field": "pct", "type": "quantitative", "title": what},
            "tooltip": [
                {"field": "name", "type": "nominal", "title": axis},
                {"field": "pct", "type": "quantitative", "title": what},
            ],
        },
    }

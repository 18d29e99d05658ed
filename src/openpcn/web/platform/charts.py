"""Vega-Lite specs for the registry pages (pure: plain dicts in, dicts out)."""

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


def share_over_time(points: list[dict]) -> dict:
    """points: [{'date': 'YYYY-MM-DD', 'in_band_pct': float}]"""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 220,
        "data": {"values": points},
        "mark": {"type": "line", "point": True, "color": NHS_BLUE},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": "Extract date"},
            "y": {
                "field": "in_band_pct",
                "type": "quantitative",
                "title": "% of PCNs in band",
                "scale": {"domain": [0, 100]},
            },
            "tooltip": [
                {"field": "date", "type": "temporal"},
                {"field": "in_band_pct", "type": "quantitative", "title": "%"},
            ],
        },
    }


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
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 220,
        "data": {"values": points},
        "mark": {"type": "line", "point": True, "color": NHS_BLUE},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": "Extract date"},
            "y": {"field": "patients", "type": "quantitative", "title": "Registered patients"},
            "tooltip": [
                {"field": "date", "type": "temporal"},
                {"field": "patients", "type": "quantitative", "format": ","},
            ],
        },
    }

"""`openpcn plan run` for an ICB's scenario: the ICB's totals (each with how it is made) and
each touched PCN's differences from its baseline, as text (tab-separated) or JSON."""

from __future__ import annotations

import json
import sys

from openpcn.cli.tools import err, fail, out


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if not isinstance(value, str) else value


def show(sc, as_json: bool, every: bool) -> None:
    from openpcn.data.scenarios import icb_store, store

    try:
        result = icb_store.run(sc)
    except (store.ScenarioError, store.ChangeError) as exc:
        fail(str(exc))
    v = store.latest(sc)
    if as_json:
        payload = {"scenario": {"id": sc.pk, "name": sc.name, "status": sc.status,
                                "version": v.version if v else 0}} | result.as_dict()  # fmt: skip
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    out.print(f"{sc.name} (ICB {sc.icb.code} as at {sc.as_at}, version {v.version if v else 0},"
              f" {sc.status})")  # fmt: skip
    for i, c in enumerate(result.changes, 1):
        out.print(f"  {i}. {c.describe()}")
    sys.stdout.flush()
    tables = [(f"ICB {sc.icb.code} totals", result.rows if every else result.changed_rows)]
    tables += [(code, r.rows if every else r.changed_rows) for code, r in result.pcns.items()]
    for title, rows in tables:
        sys.stdout.write(f"\n{title}\n")
        if not rows:
            sys.stdout.write("No differences from the baseline.\n")
            continue
        sys.stdout.write("effect\titem\tbaseline\tscenario\tdifference\n")
        for r in rows:
            sys.stdout.write(f"{r.effect}\t{r.item}\t{_fmt(r.baseline)}\t{_fmt(r.scenario)}\t"
                             f"{_fmt(r.difference)}\n")  # fmt: skip
    for effect, how in result.explanations.items():
        err.print(f"How ({effect}): {how}")
    for code, r in result.pcns.items():
        for note in (*r.scenario.inputs.notes, *r.scenario.messages):
            err.print(f"Note ({code}): {note}")

"""Measure issue 13's defect: 2023/24 IIF ACC-08 per PCN rolled up through the map nearest the
achievement date (what ``openpcn iif payments`` did: the 1 January 2022 map) against the
practices that were members on 31 March 2024 by the ODS ePCN workbook of January 2025 (what
the registry answers now). Files only, no database.

    OPENPCN_DATA=/work/shared/data/raw .venv/bin/python \\
        benchmarks/services/measure_iif_membership.py
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from openpcn.registry.parsers import parse
from openpcn.registry.records import EpcnMembership, PracticePcnMembership
from openpcn.services.iif import iif_definitions
from openpcn.services.iif.achievement_file import indicator_measures, parse_achievement_file
from openpcn.services.iif.payments import roll_up


def main() -> None:
    root = Path(os.environ.get("OPENPCN_DATA", "../shared/data/raw"))
    file = parse_achievement_file(
        root / "nhsd_iif_2023-24" / "IIF_indicators_annual_pub_2023_24.csv"
    )
    day = file.achievement_date
    maps = [parse(p) for p in sorted(root.glob("nhsd_gp_reg_*/gp-reg-pat-prac-map.csv"))]
    nearest = min(maps, key=lambda pf: (abs((pf.as_of - day).days), pf.as_of))
    old = {r.practice_code: r.pcn_code for r in nearest.of(PracticePcnMembership)}
    active = defaultdict(set)
    for m in parse(root / "ods_epcn_2025-01" / "ePCN.xlsx").of(EpcnMembership):
        if m.active_on(day):
            active[m.practice_code].add(m.pcn_code)
    new = {p: sorted(pcns)[0] for p, pcns in active.items()}
    measures = indicator_measures(file, iif_definitions("2023-24"))

    def acc08(members):
        return {
            m.pcn_code: m.values for m in roll_up(measures, members).measures
            if m.indicator == "ACC-08"
        }  # fmt: skip

    a, b = acc08(old), acc08(new)
    changed = [p for p in b if p in a and a[p] != b[p]]
    absent = [p for p in b if p not in a]
    print(f"achievement date {day}; old membership: map of {nearest.as_of}")
    print(f"PCNs on {day} (ePCN 2025-01): {len(b)}; by the old map: {len(a)}")
    print(f"ACC-08 differs for {len(changed) + len(absent)} of {len(b)} PCNs:")
    print(f"  {len(changed)} with other member practices, {len(absent)} missing from the old")
    print(f"  roll-up; {len(set(a) - set(b))} old roll-up PCNs did not exist on {day}")


if __name__ == "__main__":
    main()

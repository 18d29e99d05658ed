"""The ICB's neighbourhoods as at a date (issue 18 part 5): every neighbourhood the ICB owns,
or that one of its PCNs owns or serves, with its footprint, population, PCNs, partners, teams
and caseload, as aggregates only.

- **Population** is the number of patients registered at the member practices of the PCNs
  that serve the neighbourhood as at the date (the registry's national view: each PCN's list
  size, NHS England Digital's "Patients Registered at a GP Practice"). It is *not* the people
  living in the neighbourhood's LSOAs: those come from the LSOA registration file
  (``gp-reg-pat-prac-lsoa-all.csv``) on each neighbourhood's page
  (:mod:`openpcn.data.neighbourhoods.residence`). A PCN that serves two neighbourhoods is
  counted in both.
- **Caseload** is the number of distinct patients on the current caseloads of the
  neighbourhood's teams; 1-4 is shown as "fewer than 5" (``neighbourhoods.counts``).
  No patient reference leaves this module."""

from __future__ import annotations

from datetime import date

from openpcn.core.figures import DataRef, Figure
from openpcn.data.neighbourhoods.models import CaseloadEntry, TeamMember
from openpcn.data.neighbourhoods.queries import (
    RESIDENCE_FILE,
    Seen,
    _active,
    areas,
    deprivation_source,
    footprint_at,
    visible,
)
from openpcn.data.registry.national import national_view
from openpcn.neighbourhoods.areas import profile
from openpcn.neighbourhoods.counts import FEWER, SMALL, share, shown, suppressed

OPEN_STATUSES = ("open", "in progress")
POPULATION_HOW = (
    "The patients registered at the member practices of the PCNs that serve the "
    "neighbourhood as at the date: the sum of each PCN's registered list (its practices' "
    "newest counts at or before the date, or the PCN total NHS England Digital published for "
    "a later extract). These are registered patients, not residents of the neighbourhood's "
    f"LSOAs: residents by LSOA come from NHS England Digital's {RESIDENCE_FILE}, on each "
    "neighbourhood's page once it is loaded. "
    "A PCN serving two neighbourhoods is counted in both."
)
CASELOAD_HOW = (
    "The distinct patients on the current caseloads of the neighbourhood's teams (added and "
    f"not taken off), counted from the teams' caseload references. 1 to {SMALL - 1} is shown "
    f"as '{FEWER}' so that no patient can be picked out; no patient is listed here."
)


def neighbourhoods_of_icb(icb_code: str, on: date) -> list[Seen]:
    """The neighbourhoods the ICB owns, or that a PCN in the ICB owns or serves as at ``on``
    (each with the code that reaches it: the owner, or the ICB's PCN that serves it)."""
    return visible(icb_code.upper(), False, on)


def _row(seen: Seen, on: date, pcn_population: dict[str, int]) -> dict:
    nb = seen.neighbourhood
    fp = footprint_at(nb, on)
    codes = list(fp.lsoas.values_list("code", flat=True)) if fp else []
    known = areas()
    prof = profile(known[c] for c in codes if c in known)
    pcns = list(_active(nb.pcns.select_related("pcn"), on))
    partners = list(_active(nb.partners.select_related("organisation"), on))
    by_kind: dict[str, int] = {}
    for p in partners:
        by_kind[p.organisation.kind] = by_kind.get(p.organisation.kind, 0) + 1
    teams = list(nb.teams.all())
    caseload = (
        CaseloadEntry.objects.filter(team__in=teams, removed__isnull=True)
        .values_list("patient_id", "practice_code")
        .distinct()
        .count()
    )
    population = [pcn_population.get(r.pcn.code) for r in pcns]
    known_population = [p for p in population if p is not None]
    deprived = prof.most_deprived_fifth
    return {
        "name": nb.name,
        "slug": nb.slug,
        "owner": {"code": nb.owner.code, "name": nb.owner.name, "kind": nb.owner.kind},
        "via": seen.via,
        "lsoa_count": prof.lsoas,
        "lsoas_not_in_deprivation_file": len(set(codes) - set(known)),
        "local_authorities": [
            {"code": la.code, "name": la.name, "lsoas": la.lsoas} for la in prof.local_authorities
        ],
        "imd": {
            "lsoas_in_deciles_1_2": deprived,
            "share_in_deciles_1_2": share(deprived, prof.lsoas),
            "lsoas_by_imd_decile": {str(d): n for d, n in prof.by_decile.items()},
        },
        "registered_population": sum(known_population) if known_population else None,
        "pcns": [
            {"code": r.pcn.code, "name": r.pcn.name, "registered": pcn_population.get(r.pcn.code)}
            for r in pcns
        ],
        "partners": {"total": len(partners), "by_kind": dict(sorted(by_kind.items()))},
        "teams": len(teams),
        "team_members": TeamMember.objects.filter(team__in=teams).count(),
        "caseload": {"patients": suppressed(caseload), "shown": shown(caseload)},
        "open_actions": sum(
            1
            for t in teams
            for s in t.actions.values_list("status", flat=True)
            if s in OPEN_STATUSES
        ),
    }


def icb_neighbourhoods(icb_code: str, on: date) -> dict:
    """Every neighbourhood of the ICB as at ``on`` (see the module's words), with the sources
    of the population and deprivation figures. Aggregates only: a caseload of 1-4 is None
    with ``shown`` "fewer than 5"."""
    view = national_view(on)
    pcn_population = {r.code: r.population for r in view.rows}
    rows = [_row(s, on, pcn_population) for s in neighbourhoods_of_icb(icb_code, on)]
    rows.sort(key=lambda r: (r["name"].lower(), r["owner"]["code"]))
    src = deprivation_source()
    return {
        "icb": icb_code.upper(),
        "as_at": on.isoformat(),
        "neighbourhoods": rows,
        "population": {
            "what": "registered patients of the serving PCNs' member practices",
            "how": POPULATION_HOW,
            "as_of": view.population_as_of.isoformat() if view.population_as_of else None,
            "sources": list(view.sources),
            "residents_by_lsoa": f"needs {RESIDENCE_FILE} (not loaded)",
        },
        "caseload": {
            "what": "distinct patients on the teams' current caseloads",
            "how": CASELOAD_HOW,
        },
        "small_numbers": f"caseload counts of 1 to {SMALL - 1} are shown as '{FEWER}'",
        "deprivation_source": ({"file": src.name, "as_of": src.as_of.isoformat()} if src else None),
    }


def population_figure(data: dict, row: dict) -> Figure:
    """How one neighbourhood's population was worked out (its PCNs' registered lists)."""
    pop = data["population"]
    as_of = date.fromisoformat(pop["as_of"]) if pop["as_of"] else None
    return Figure(
        label=f"Registered patients of the PCNs serving {row['name']}",
        value=row["registered_population"],
        unit="patients",
        method=POPULATION_HOW,
        data=tuple(DataRef(s, as_of, "registered patients by practice") for s in pop["sources"]),
        inputs=tuple(
            Figure(label=f"{p['name']} ({p['code']})", value=p["registered"], unit="patients")
            for p in row["pcns"]
        ),
    )


def caseload_figure(row: dict) -> Figure:
    """How one neighbourhood's caseload count was worked out (no patients, no exact small
    number: the value is the words shown)."""
    return Figure(
        label=f"Patients on the caseloads of {row['name']}'s teams",
        value=row["caseload"]["shown"],
        unit="patients",
        method=CASELOAD_HOW,
        data=(
            DataRef(
                "the teams' caseload references (OpenPCN)",
                description=f"{row['teams']} team(s); counted, never listed",
            ),
        ),
    )

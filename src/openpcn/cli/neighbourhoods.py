"""``openpcn neighbourhoods ...``: define a neighbourhood from a list of 2021 LSOA codes and
show its local authorities, deprivation profile, PCNs and partners.

The LSOAs are checked against the English Indices of Deprivation 2025 File 1 (import it with
``openpcn data import``); a code of the wrong vintage or one that does not exist refuses the
whole list, naming each bad code, and nothing is saved.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from openpcn.cli.tools import django_setup, err, fail, out

app = typer.Typer(
    help="Neighbourhoods: footprints of 2021 LSOAs, PCNs and partners.", no_args_is_help=True
)

CLI_USER = "command line"


@app.callback()
def main() -> None:
    """Neighbourhoods: footprints of 2021 LSOAs, PCNs and partners."""


def _date(text: str | None, what: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{what} '{text}' is not a date (YYYY-MM-DD)")


def _one(name: str, owner: str | None):
    from openpcn.data.neighbourhoods import queries

    found = queries.find(name, owner)
    if not found:
        fail(f"there is no neighbourhood called '{name}'" + (f" in {owner}" if owner else ""))
    if len(found) > 1:
        owners = ", ".join(nb.owner.code for nb in found)
        fail(f"'{name}' names neighbourhoods of {owners}: say which with --owner CODE")
    return found[0]


@app.command("create")
def create(
    name: str = typer.Argument(..., help="The neighbourhood's name"),
    lsoas: Path = typer.Option(..., "--lsoas", help="File of 2021 LSOA codes (one a line, or CSV)"),
    pcn: list[str] = typer.Option([], "--pcn", help="A PCN that serves it (repeat for more)"),
    start: str = typer.Option(None, "--from", help="First day (YYYY-MM-DD; default today)"),
    owner: str = typer.Option(
        None, "--owner", help="ICB or PCN defining it (default: the PCN, or the PCNs' ICB)"
    ),
):
    """Create a neighbourhood from a list of 2021 LSOA codes."""
    django_setup()
    from openpcn.data.neighbourhoods import store
    from openpcn.neighbourhoods.areas import read_codes

    day = _date(start, "--from") or date.today()
    if not lsoas.is_file():
        fail(f"{lsoas} is not a file")
    try:
        text = lsoas.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{lsoas.name} is not UTF-8 text: save it as CSV or plain text")
    if not owner and not pcn:
        fail("say which ICB or PCN the neighbourhood belongs to: --owner CODE or --pcn CODE")
    try:
        owner_code = owner or store.default_owner([p.upper() for p in pcn], day)
        nb = store.create(
            name,
            owner_code,
            read_codes(text),
            day,
            pcns=[p.upper() for p in pcn],
            by=CLI_USER,
            how=f"list of LSOA codes from {lsoas.name}",
        )
    except store.NeighbourhoodError as e:
        fail(f"{lsoas.name}: {e} (nothing was saved)")
    n = nb.footprints.first().lsoas.count()
    err.print(f"Created {nb.name} ({nb.owner.code}) with {n} LSOAs from {day}.")


@app.command("show")
def show(
    name: str = typer.Argument(..., help="The neighbourhood's name"),
    fmt: str = typer.Option("text", "--format", help="text or json"),
    as_at: str = typer.Option(None, "--as-at", help="Date (YYYY-MM-DD; default today)"),
    owner: str = typer.Option(None, "--owner", help="The ICB or PCN, if the name is not unique"),
):
    """Its LSOAs, local authorities, LSOAs by IMD decile, PCNs and partners."""
    django_setup()
    from openpcn.data.neighbourhoods import residence

    if fmt not in ("text", "json"):
        fail(f"--format {fmt}: use text or json")
    nb = _one(name, owner)
    data = residence.summary(nb, _date(as_at, "--as-at") or date.today())
    if fmt == "json":
        out.print(json.dumps(data, indent=2), soft_wrap=True, markup=False)
        return
    out.print(f"{data['name']} ({data['owner']['name']}, {data['owner']['code']})", markup=False)
    if data["version"] is None:
        out.print(f"No version of its LSOAs covers {data['as_at']}.")
        return
    v = data["version"]
    out.print(
        f"LSOAs: {len(data['lsoas'])} (version from {v['start']}"
        + (f" to {v['end']})" if v["end"] else ")"),
        markup=False,
    )
    out.print(
        "Local authorities: "
        + ", ".join(
            f"{la['name']} ({la['code']}) {la['lsoas']}" for la in data["local_authorities"]
        ),
        markup=False,
    )
    out.print(
        "LSOAs by IMD decile (1 = most deprived 10%): "
        + ", ".join(f"{d}: {n}" for d, n in data["lsoas_by_imd_decile"].items())
    )
    out.print(
        "PCNs: " + (", ".join(f"{p['name']} ({p['code']})" for p in data["pcns"]) or "none"),
        markup=False,
    )
    out.print(
        "Partners: "
        + (", ".join(f"{p['name']} ({p['role']})" for p in data["partners"]) or "none"),
        markup=False,
    )
    _print_residence(data["residence"])


def _print_residence(r: dict) -> None:
    if not r["loaded"]:
        out.print("Residence: not loaded. " + r["how_to_get_it"], markup=False)
        return
    out.print(
        f"Residence ({r['file']}, extract {r['extract_date']}): "
        f"{r['residents']['value']} residents registered with a GP; "
        f"{r['misfit']['value'] if r['misfit']['value'] is not None else 'not available'}% "
        "registered outside its PCNs",
        markup=False,
    )
    out.print(
        "Registered with: "
        + (", ".join(f"{p['name']} ({p['code']}) {p['shown']}" for p in r["by_pcn"]) or "none"),
        markup=False,
    )


def _codes_of(path: Path):
    from openpcn.neighbourhoods.areas import read_codes

    if not path.is_file():
        fail(f"{path} is not a file")
    try:
        return read_codes(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        fail(f"{path.name} is not UTF-8 text: save it as CSV or plain text")


@app.command("version")
def version(
    name: str = typer.Argument(..., help="The neighbourhood's name"),
    lsoas: Path = typer.Option(..., "--lsoas", help="File of 2021 LSOA codes"),
    start: str = typer.Option(..., "--from", help="First day of the new version (YYYY-MM-DD)"),
    end: str = typer.Option(None, "--to", help="Last day (default: open)"),
    owner: str = typer.Option(None, "--owner", help="The ICB or PCN, if the name is not unique"),
):
    """A new dated version of its LSOAs (the open version is ended the day before)."""
    django_setup()
    from openpcn.data.neighbourhoods import store

    nb = _one(name, owner)
    pairs = _codes_of(lsoas)
    try:
        fp = store.new_version(
            nb,
            pairs,
            _date(start, "--from"),
            _date(end, "--to"),
            by=CLI_USER,
            how=f"list of LSOA codes from {lsoas.name}",
        )
    except store.NeighbourhoodError as e:
        fail(f"{nb.name}: {e} (nothing was saved)")
    err.print(f"{nb.name}: version from {fp.start} with {fp.lsoas.count()} LSOAs.")


@app.command("add-partner")
def add_partner(
    name: str = typer.Argument(..., help="The neighbourhood's name"),
    role: str = typer.Option(..., "--role", help="What it does, e.g. 'hosts the team'"),
    start: str = typer.Option(..., "--from", help="First day (YYYY-MM-DD)"),
    end: str = typer.Option(None, "--to", help="Last day (default: open)"),
    org: str = typer.Option(None, "--org", help="An organisation in the registry (ODS code)"),
    kind: str = typer.Option(None, "--kind", help="For one entered by hand: voluntary, ..."),
    org_name: str = typer.Option(None, "--name", help="For one entered by hand: its name"),
    owner: str = typer.Option(None, "--owner", help="The ICB or PCN, if the name is not unique"),
):
    """Relate a partner organisation in a role, with dates."""
    django_setup()
    from openpcn.data.neighbourhoods import store

    nb = _one(name, owner)
    if not org and not (kind and org_name):
        fail("give --org CODE, or --kind and --name for an organisation entered by hand")
    new = None if org else {"kind": kind, "name": org_name}
    try:
        rel = store.add_partner(
            nb,
            role,
            _date(start, "--from"),
            _date(end, "--to"),
            by=CLI_USER,
            code=org or "",
            new=new,
        )
    except store.NeighbourhoodError as e:
        fail(f"{nb.name}: {e} (nothing was saved)")
    err.print(f"{nb.name}: {rel.organisation.name} ({rel.organisation.code}) as '{rel.role}'.")


@app.command("add-pcn")
def add_pcn(
    name: str = typer.Argument(..., help="The neighbourhood's name"),
    pcn: str = typer.Option(..., "--pcn", help="The PCN's ODS code"),
    start: str = typer.Option(..., "--from", help="First day (YYYY-MM-DD)"),
    end: str = typer.Option(None, "--to", help="Last day (default: open)"),
    owner: str = typer.Option(None, "--owner", help="The ICB or PCN, if the name is not unique"),
):
    """Record a PCN that serves the neighbourhood, with dates."""
    django_setup()
    from openpcn.data.neighbourhoods import store

    nb = _one(name, owner)
    try:
        rel = store.add_pcn(nb, pcn, _date(start, "--from"), _date(end, "--to"), by=CLI_USER)
    except store.NeighbourhoodError as e:
        fail(f"{nb.name}: {e} (nothing was saved)")
    err.print(f"{nb.name}: served by {rel.pcn.name} ({rel.pcn.code}) from {rel.start}.")


@app.command("team")
def team(
    name: str = typer.Argument(..., help="The neighbourhood's name"),
    team_name: str = typer.Argument(..., help="The team's name (or its slug)"),
    fmt: str = typer.Option("text", "--format", help="text or json"),
    owner: str = typer.Option(None, "--owner", help="The ICB or PCN, if the name is not unique"),
):
    """An integrated neighbourhood team: members and employers, meetings, caseload counts by
    cohort and practice, actions by status. No patients (the caseload is on the pages)."""
    django_setup()
    from django.utils.text import slugify

    from openpcn.data.neighbourhoods import teams

    if fmt not in ("text", "json"):
        fail(f"--format {fmt}: use text or json")
    nb = _one(name, owner)
    t = teams.get_team(nb, slugify(team_name))
    if t is None:
        known = ", ".join(nb.teams.values_list("name", flat=True)) or "none yet"
        fail(f"{nb.name} has no team '{team_name}' (its teams: {known})")
    data = teams.summary(t, date.today())
    if fmt == "json":
        out.print(json.dumps(data, indent=2), soft_wrap=True, markup=False)
        return
    out.print(f"{data['name']} ({nb.name})", markup=False)
    out.print(
        f"Members ({data['employers']} employers): "
        + (
            ", ".join(
                f"{m['name']} ({m['role']}, {m['employer']['name']})" for m in data["members"]
            )
            or "none"
        ),
        markup=False,
    )
    out.print(
        "Meetings: "
        + (
            ", ".join(f"{m['date']} ({len(m['attendees'])} attended)" for m in data["meetings"])
            or "none"
        ),
        markup=False,
    )
    c = data["caseload"]
    out.print(
        f"Caseload: {c['patients']} patients"
        + (
            "; " + ", ".join(f"{k}: {n}" for k, n in c["by_source"].items())
            if c["by_source"]
            else ""
        ),
        markup=False,
    )
    a = data["actions"]
    out.print(
        f"Actions: {a['total']}"
        + (
            "; " + ", ".join(f"{k}: {n}" for k, n in a["by_status"].items())
            if a["by_status"]
            else ""
        ),
        markup=False,
    )

"""`openpcn governance show PCN`: a PCN's governance as at a date (issue 18 part 4), the same
JSON as ``/api/governance/<PCN>``::

    openpcn governance show U00001 --on 2026-07-01 --format json
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum

import typer

from openpcn.cli.tools import django_setup, fail, out

app = typer.Typer(help="A PCN's governance: agreement, decisions, meetings, actions, CD time.",
                  no_args_is_help=True)  # fmt: skip


class Format(StrEnum):
    text = "text"
    json = "json"


@app.command("show")
def show(
    pcn: str = typer.Argument(..., help="PCN ODS code, e.g. U00001"),
    on: str = typer.Option("", "--on", help="The date to show (default today), like 2026-07-01"),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json"),
):
    """The agreement, decisions, meetings, actions, clinical director's time and maturity."""
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        fail(f"--on must be a date like 2026-07-01, not {on!r}")
    django_setup()
    from openpcn.data.governance.reads import summary
    from openpcn.data.registry.models import Organisation

    org = Organisation.objects.filter(code=pcn.strip().upper(), kind="pcn").first()
    if org is None:
        fail(f"There is no PCN with the code {pcn!r}.")
    data = summary(org, day)
    if fmt is Format.json:
        out.print_json(json.dumps(data))
        return
    cd = data["cd_time"]
    funded = (cd["figures"] or {}).get("funded_hours")
    lines = [
        f"{org.name} ({org.code}) governance as at {data['as_at']}",
        f"Agreements: {len(data['agreements'])}; decisions: {len(data['decisions'])}; "
        f"meetings: {len(data['meetings'])}; actions: {len(data['actions'])}",
        "Clinical director: "
        + (f"{funded['value']} hours a week funded ({funded['method']})" if funded
           else cd["missing"]),
        f"Maturity self-assessments: {', '.join(data['maturity']['dates']) or 'none'}",
    ]  # fmt: skip
    for line in lines:
        out.print(line)

"""Writing neighbourhoods: create one, give it a new dated version of its LSOAs, relate PCNs
and partners. Each call is one transaction: a bad input raises
:class:`NeighbourhoodError` naming every problem, and nothing is saved."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils.text import slugify

from openpcn.core.periods import Period, overlap_message
from openpcn.data.neighbourhoods import queries
from openpcn.data.neighbourhoods.models import (
    Footprint,
    FootprintLsoa,
    Neighbourhood,
    NeighbourhoodPartner,
    NeighbourhoodPcn,
)
from openpcn.data.registry.models import Organisation, OrgKind
from openpcn.data.registry.queries import parents_of
from openpcn.neighbourhoods.areas import check_codes

OWNER_KINDS = (OrgKind.ICB, OrgKind.PCN)
MAX_SHOWN = 20
ENTERED_PREFIX = "XN"  # codes of hand-entered organisations that have no ODS code


class NeighbourhoodError(ValueError):
    """Bad input; ``problems`` lists every one. Nothing was saved."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        shown = self.problems[:MAX_SHOWN]
        more = len(self.problems) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        super().__init__(text)


def _period(start: date, end: date | None) -> Period:
    try:
        return Period(start, end)
    except ValueError as e:
        raise NeighbourhoodError([str(e)]) from None


def checked_codes(pairs: Iterable[tuple[int | None, str]]) -> list[str]:
    """The codes if every one is a 2021 LSOA, else NeighbourhoodError naming each bad one."""
    known = queries.areas()
    if not known:
        raise NeighbourhoodError(
            [
                "no 2021 LSOAs are loaded: they come from the English Indices of "
                "Deprivation 2025 File 1, which an administrator loads"
            ]
        )
    check = check_codes(list(pairs), known, queries.codes_2011())
    if check.problems:
        raise NeighbourhoodError([str(p) for p in check.problems])
    if not check.valid:
        raise NeighbourhoodError(["the list holds no LSOA codes"])
    return check.valid


def _org(code: str, kinds, what: str) -> Organisation:
    org = Organisation.objects.filter(code=code.strip().upper()).first()
    if org is None:
        raise NeighbourhoodError([f"there is no {what} with the code '{code}'"])
    if kinds and org.kind not in kinds:
        raise NeighbourhoodError(
            [f"{org.name} ({org.code}) is a {org.get_kind_display()}, not {_a(what)}"]
        )
    return org


def _a(what: str) -> str:
    return ("an " if what[0] in "AEIOUaeiou" else "a ") + what


def default_owner(pcn_codes: list[str], on: date) -> str:
    """The owner when none is given: the one PCN named, or the ICB all the PCNs lie in."""
    if len(pcn_codes) == 1:
        return pcn_codes[0]
    icbs = None
    for code in pcn_codes:
        mine = {
            c
            for c in parents_of(code.upper(), on)
            if Organisation.objects.filter(code=c, kind=OrgKind.ICB).exists()
        }
        icbs = mine if icbs is None else icbs & mine
    if icbs and len(icbs) == 1:
        return icbs.pop()
    raise NeighbourhoodError(
        [
            "say which ICB or PCN the neighbourhood belongs to (--owner CODE): "
            "the PCNs given do not name one ICB"
        ]
    )


@transaction.atomic
def create(
    name: str,
    owner_code: str,
    pairs: Iterable[tuple[int | None, str]],
    start: date,
    *,
    pcns: Iterable[str] = (),
    by: str,
    how: str = "",
    description: str = "",
) -> Neighbourhood:
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append("the neighbourhood needs a name")
    slug = slugify(name)[:80]
    if name and not slug:
        problems.append(f"the name '{name}' needs at least one letter or digit")
    owner = _org(owner_code, OWNER_KINDS, "ICB or PCN")
    if slug and Neighbourhood.objects.filter(owner=owner, slug=slug).exists():
        problems.append(f"{owner.code} already has a neighbourhood called '{name}'")
    pcn_orgs = []
    for code in pcns:
        try:
            pcn_orgs.append(_org(code, (OrgKind.PCN,), "PCN"))
        except NeighbourhoodError as e:
            problems += e.problems
    try:
        codes = checked_codes(pairs)
    except NeighbourhoodError as e:
        problems += e.problems
    if problems:
        raise NeighbourhoodError(problems)
    nb = Neighbourhood.objects.create(
        owner=owner, name=name, slug=slug, description=description, created_by=by
    )
    _add_footprint(nb, codes, _period(start, None), by, how)
    for org in pcn_orgs:
        NeighbourhoodPcn.objects.create(neighbourhood=nb, pcn=org, start=start, created_by=by)
    return nb


def _add_footprint(nb, codes, period: Period, by: str, how: str) -> Footprint:
    fp = Footprint.objects.create(
        neighbourhood=nb, start=period.start, end=period.end, how=how[:300], created_by=by
    )
    FootprintLsoa.objects.bulk_create([FootprintLsoa(footprint=fp, code=c) for c in codes])
    return fp


@transaction.atomic
def new_version(
    nb: Neighbourhood,
    pairs,
    start: date,
    end: date | None = None,
    *,
    by: str,
    how: str = "",
) -> Footprint:
    """A new version of the LSOAs from ``start``. The open version that began earlier is
    ended the day before; any other overlap is refused."""
    period = _period(start, end)
    codes = checked_codes(pairs)
    versions = list(nb.footprints.select_for_update())
    open_one = next((v for v in versions if v.end is None and v.start < start), None)
    if open_one is not None and any(v.start >= start for v in versions):
        open_one = None  # a later version exists: nothing is ended for you
    others = [Period(v.start, v.end) for v in versions if v is not open_one]
    msg = overlap_message(others, period, "the version")
    if msg:
        raise NeighbourhoodError([msg])
    if open_one is not None:
        open_one.end = start - timedelta(days=1)
        open_one.save(update_fields=["end"])
    return _add_footprint(nb, codes, period, by, how)


@transaction.atomic
def add_pcn(nb: Neighbourhood, code: str, start: date, end: date | None = None, *, by: str):
    period = _period(start, end)
    pcn = _org(code, (OrgKind.PCN,), "PCN")
    existing = [Period(r.start, r.end) for r in nb.pcns.filter(pcn=pcn)]
    msg = overlap_message(existing, period, f"{pcn.code} serving {nb.name}")
    if msg:
        raise NeighbourhoodError([msg])
    return NeighbourhoodPcn.objects.create(
        neighbourhood=nb, pcn=pcn, start=start, end=end, created_by=by
    )


def entered_organisation(kind: str, name: str, by: str, code: str = "", postcode: str = ""):
    """A partner organisation entered by hand (no ODS file has it): kind one of the partner
    kinds, source 'entered by <user>'. Without an ODS code it gets the next XN code."""
    name = (name or "").strip()
    if kind not in queries.PARTNER_KINDS:
        raise NeighbourhoodError([f"'{kind}' is not a kind of partner organisation"])
    if not name:
        raise NeighbourhoodError(["the organisation needs a name"])
    code = (code or "").strip().upper()
    if code:
        if Organisation.objects.filter(code=code).exists():
            raise NeighbourhoodError(
                [f"{code} is already in the registry: choose it from the list instead"]
            )
        if not code.isalnum() or len(code) > 16:
            raise NeighbourhoodError([f"'{code}' is not an organisation code"])
    else:
        taken = Organisation.objects.filter(code__startswith=ENTERED_PREFIX).values_list(
            "code", flat=True
        )
        numbers = [int(c[2:]) for c in taken if c[2:].isdigit()]
        code = f"{ENTERED_PREFIX}{max(numbers, default=0) + 1:05d}"
    return Organisation.objects.create(
        code=code,
        kind=kind,
        name=name,
        postcode=postcode.strip().upper(),
        status="active",
        source=f"entered by {by}"[:200],
    )


@transaction.atomic
def add_partner(
    nb: Neighbourhood,
    role: str,
    start: date,
    end: date | None = None,
    *,
    by: str,
    code: str = "",
    new: dict | None = None,
) -> NeighbourhoodPartner:
    """Relate a registry organisation (``code``) or a new hand-entered one (``new``: kind,
    name, optional code and postcode) to the neighbourhood in ``role`` from ``start``."""
    role = (role or "").strip()
    if not role:
        raise NeighbourhoodError(["say what the partner does for the neighbourhood (its role)"])
    period = _period(start, end)
    if new:
        org = entered_organisation(by=by, **new)
    else:
        org = _org(code, queries.PARTNER_KINDS, "partner organisation")
    existing = [
        Period(r.start, r.end) for r in nb.partners.filter(organisation=org, role__iexact=role)
    ]
    msg = overlap_message(existing, period, f"{org.name} as '{role}'")
    if msg:
        raise NeighbourhoodError([msg])
    return NeighbourhoodPartner.objects.create(
        neighbourhood=nb, organisation=org, role=role[:200], start=start, end=end, created_by=by
    )

"""Reading neighbourhoods: the 2021 LSOAs known to the registry, a neighbourhood's version as
at a date, its profile, PCNs and partners, and which neighbourhoods a user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from openpcn.data.neighbourhoods.models import Footprint, Neighbourhood
from openpcn.data.registry.models import IngestedFile, Lsoa, Organisation, OrgKind
from openpcn.data.registry.queries import contains, membership_at
from openpcn.neighbourhoods.areas import Area, profile

VINTAGE = 2021
RESIDENCE_KIND = "gp_reg_lsoa"
RESIDENCE_FILE = "gp-reg-pat-prac-lsoa-all.csv"
RESIDENCE_HOW = (
    f"Where each practice's patients live comes from NHS England Digital's {RESIDENCE_FILE} "
    "(the LSOA files of 'Patients Registered at a GP Practice', published quarterly: "
    "https://digital.nhs.uk/data-and-information/publications/statistical/"
    "patients-registered-at-a-gp-practice). An administrator fetches it with `openpcn data "
    "download` (when the network allows; or saves the release's LSOA zip into the data "
    "directory by hand) and loads it with `openpcn data import-all`. Until then no residence "
    "figures are shown."
)
PARTNER_KINDS = (
    OrgKind.TRUST,
    OrgKind.LOCAL_AUTHORITY,
    OrgKind.VOLUNTARY,
    OrgKind.CARE_HOME,
    OrgKind.PHARMACY,
    OrgKind.PARTNER,
)
#: roles offered on the add-partner form (any other text is accepted)
ROLE_SUGGESTIONS = (
    "provides community nursing",
    "provides mental health services",
    "provides adult social care",
    "hosts the team",
    "provides social prescribing",
    "provides care home support",
    "provides pharmacy services",
)

_AREAS: dict[int, dict[str, Area]] = {}


def _version() -> int:
    return IngestedFile.objects.aggregate(m=Max("id"))["m"] or 0


def clear_areas() -> None:
    _AREAS.clear()


def areas() -> dict[str, Area]:
    """Every 2021 LSOA the registry holds (IoD 2025 File 1), by code."""
    version = _version()
    if version not in _AREAS:
        _AREAS.clear()
        _AREAS[version] = {
            code: Area(code, name, lad, lad_name, rank, decile)
            for code, name, lad, lad_name, rank, decile in Lsoa.objects.filter(
                vintage=VINTAGE
            ).values_list("code", "name", "lad_code", "lad_name", "imd_rank", "imd_decile")
        }
    return _AREAS[version]


def codes_2011() -> set[str]:
    return set(Lsoa.objects.filter(vintage=2011).values_list("code", flat=True))


def deprivation_source() -> IngestedFile | None:
    """The file the 2021 LSOAs came from (the newest, if several)."""
    ids = Lsoa.objects.filter(vintage=VINTAGE).values_list("source_id", flat=True).distinct()
    return IngestedFile.objects.filter(id__in=list(ids)).order_by("-as_of").first()


def local_authorities() -> list[tuple[str, str, int]]:
    """(code, name, LSOAs) of every local authority district in the 2021 LSOAs."""
    counts: dict[tuple[str, str], int] = {}
    for a in areas().values():
        counts[(a.lad_code, a.lad_name)] = counts.get((a.lad_code, a.lad_name), 0) + 1
    return sorted(((c, n, k) for (c, n), k in counts.items()), key=lambda r: r[1])


def lsoas_of(lad_codes: list[str]) -> list[str]:
    wanted = {c.strip().upper() for c in lad_codes}
    return sorted(a.code for a in areas().values() if a.lad_code in wanted)


def residence_loaded() -> bool:
    return IngestedFile.objects.filter(kind=RESIDENCE_KIND).exists()


def footprint_at(nb: Neighbourhood, on: date) -> Footprint | None:
    return nb.footprints.filter(start__lte=on).exclude(end__lt=on).order_by("-start").first()


def _active(qs, on: date):
    return qs.filter(start__lte=on).exclude(end__lt=on)


def find(name: str, owner: str | None = None) -> list[Neighbourhood]:
    """Neighbourhoods called ``name`` (or with that slug), of ``owner`` if given."""
    from django.db.models import Q
    from django.utils.text import slugify

    qs = Neighbourhood.objects.select_related("owner").filter(
        Q(name__iexact=name.strip()) | Q(slug=slugify(name))
    )
    if owner:
        qs = qs.filter(owner__code=owner.strip().upper())
    return list(qs)


def get(owner_or_pcn: str, slug: str) -> Neighbourhood | None:
    """The neighbourhood ``slug`` reached through ``owner_or_pcn``: its owner, or a PCN that
    serves it (so a PCN lead reaches an ICB's neighbourhood through their own PCN)."""
    code = owner_or_pcn.strip().upper()
    for nb in Neighbourhood.objects.select_related("owner").filter(slug=slug):
        if nb.owner.code == code or nb.pcns.filter(pcn__code=code).exists():
            return nb
    return None


@dataclass(frozen=True)
class Seen:
    neighbourhood: Neighbourhood
    via: str  # the organisation code in the URL: the owner, or the user's PCN that serves it


def visible(scope_code: str | None, is_admin: bool, on: date) -> list[Seen]:
    """Neighbourhoods a user may see: all for an administrator; otherwise those whose owner,
    or a PCN serving them as at ``on``, is inside the user's scope."""
    out = []
    for nb in Neighbourhood.objects.select_related("owner").prefetch_related("pcns__pcn"):
        if is_admin:
            out.append(Seen(nb, nb.owner.code))
            continue
        if not scope_code:
            continue
        if contains(scope_code, nb.owner.code, on):
            out.append(Seen(nb, nb.owner.code))
            continue
        pcn = next(
            (
                r.pcn.code
                for r in nb.pcns.all()
                if r.start <= on
                and (r.end is None or on <= r.end)
                and contains(scope_code, r.pcn.code, on)
            ),
            None,
        )
        if pcn:
            out.append(Seen(nb, pcn))
    return out


def summary(nb: Neighbourhood, on: date) -> dict:
    """Everything `neighbourhoods show` and the pages give: the version as at ``on``, its
    LSOAs, local authorities, LSOAs by IMD decile, PCNs and partners (residence figures are added by
    :func:`openpcn.data.neighbourhoods.residence.summary`)."""
    fp = footprint_at(nb, on)
    codes = list(fp.lsoas.values_list("code", flat=True)) if fp else []
    known = areas()
    found = [known[c] for c in codes if c in known]
    prof = profile(found)
    src = deprivation_source()
    pcns = _active(nb.pcns.select_related("pcn"), on)
    partners = _active(nb.partners.select_related("organisation"), on)
    membership = membership_at(on)
    practice_codes = [(p, r.pcn.code) for r in pcns for p in membership.members_of(r.pcn.code)]
    names = dict(
        Organisation.objects.filter(code__in=[p for p, _ in practice_codes]).values_list(
            "code", "name"
        )
    )
    return {
        "name": nb.name,
        "slug": nb.slug,
        "owner": {"code": nb.owner.code, "name": nb.owner.name, "kind": nb.owner.kind},
        "as_at": on.isoformat(),
        "version": (
            {
                "start": fp.start.isoformat(),
                "end": fp.end.isoformat() if fp.end else None,
                "how": fp.how,
                "versions": nb.footprints.count(),
            }
            if fp
            else None
        ),
        "lsoas": [
            {
                "code": a.code,
                "name": a.name,
                "local_authority": a.lad_code,
                "imd_rank": a.imd_rank,
                "imd_decile": a.imd_decile,
            }
            for a in sorted(found, key=lambda a: a.code)
        ],
        "lsoas_not_in_deprivation_file": sorted(set(codes) - set(known)),
        **prof.as_dict(),  # lsoa_count, lsoas_by_imd_decile, local_authorities
        "deprivation_source": (
            {"file": src.name, "as_of": src.as_of.isoformat(), "kind": src.kind} if src else None
        ),
        "pcns": [
            {
                "code": r.pcn.code,
                "name": r.pcn.name,
                "start": r.start.isoformat(),
                "end": r.end.isoformat() if r.end else None,
            }
            for r in pcns
        ],
        "practices": [
            {"code": p, "name": names.get(p, p), "pcn": pcn} for p, pcn in practice_codes
        ],
        "practices_membership": {
            "source": membership.source,
            "observed": membership.observed.isoformat() if membership.observed else None,
        },
        "partners": [
            {
                "code": r.organisation.code,
                "name": r.organisation.name,
                "kind": r.organisation.kind,
                "role": r.role,
                "start": r.start.isoformat(),
                "end": r.end.isoformat() if r.end else None,
                "source": r.organisation.source,
            }
            for r in partners
        ],
    }


def partner_choices() -> list[Organisation]:
    """Registry organisations that can be partners (trusts open today first by name)."""
    return list(
        Organisation.objects.filter(kind__in=PARTNER_KINDS)
        .exclude(status="closed")
        .order_by("kind", "name")
    )


def pcns_in(scope_code: str, on: date) -> list[Organisation]:
    """The PCNs a neighbourhood of ``scope_code`` may name: the PCN itself, or an ICB's PCNs
    (those the registry places in it as at ``on``)."""
    from openpcn.data.registry.models import Relation, RelationKind

    org = Organisation.objects.filter(code=scope_code).first()
    if org is None:
        return []
    if org.kind == OrgKind.PCN:
        return [org]
    ids = (
        Relation.objects.filter(parent=org, kind=RelationKind.IN_ICB, child__kind=OrgKind.PCN)
        .values_list("child_id", flat=True)
        .distinct()
    )
    pcns = Organisation.objects.filter(id__in=list(ids)).order_by("name")
    return [p for p in pcns if contains(org.code, p.code, on)]

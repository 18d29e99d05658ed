"""Registry API: organisations and PCN membership (public open data)."""

from datetime import date

from ninja import Router, Schema

from openpcn.web.platform.access import PUBLIC, in_scope
from openpcn.web.platform.api import api_access
from openpcn.web.registry import presenters

router = Router(tags=["registry"])


class MemberOut(Schema):
    code: str
    name: str
    patients: int | None
    share: float | None
    extract_date: date | None
    source: str | None


class PcnOut(Schema):
    code: str
    name: str
    icb_code: str | None
    population: int
    as_of: date
    members: list[MemberOut]


def _pcn(code: str, on: date | None) -> dict:
    view = presenters.pcn_overview(code.upper(), on or date.today())
    return {
        "code": view["org"].code,
        "name": view["org"].name,
        "icb_code": view["icb"].code if view["icb"] else None,
        "population": view["population"],
        "as_of": view["on"],
        "members": view["members"],
    }


@router.get("/pcns/{code}", response=PcnOut, summary="A PCN and its member practices (public)")
@api_access(PUBLIC)
def pcn(request, code: str, as_of: date | None = None):
    return _pcn(code, as_of)


@router.get(
    "/networks/{code}",
    response=PcnOut,
    summary="Your network's workspace summary (scoped to your PCN or ICB)",
)
@api_access(in_scope("code", "pcn"))
def network(request, code: str, as_of: date | None = None):
    return _pcn(code, as_of)


class SizeFiguresOut(Schema):
    pcn_count: int
    in_band: int
    in_band_pct: float
    below: int
    above: int
    median: float | None


class IcbSizesOut(SizeFiguresOut):
    icb_code: str
    icb_name: str


class PcnSizesOut(SizeFiguresOut):
    as_of: date
    band: list[int]
    membership_as_of: date | None
    population_as_of: date | None
    sources: list[str]
    practices_matched: int
    practices_unmatched: int
    by_icb: list[IcbSizesOut]
    figures: dict


@router.get(
    "/pcn-sizes",
    response=PcnSizesOut,
    summary="How many PCNs are within a size band as at a date (public)",
)
@api_access(PUBLIC)
def pcn_sizes(request, as_of: date | None = None, band: str = "30000-50000"):
    from ninja.errors import HttpError

    from openpcn.data.registry.explorer import explorer, parse_band, size_report
    from openpcn.data.registry.national import latest_date

    try:
        low, high = parse_band(band)
    except ValueError as e:
        raise HttpError(422, str(e)) from None
    on = as_of or latest_date()
    report = size_report(on, low, high)
    figures = explorer(on, low, high)["figures"]
    return {**report, "figures": {k: f.as_dict() for k, f in figures.items()}}

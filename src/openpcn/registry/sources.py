"""Where the registry files come from: every publisher URL, in one place.

These are the best-known addresses as of 2026; publishers move files, so each source says
which page to check by hand when a download fails. Monthly NHS England Digital releases live
at per-release URLs, so those sources start at the series page and follow links (``hops``:
regexes matched against the ``href`` values of each page in turn) to the current file.

Not downloadable automatically: NHS England's "PCN adjusted populations" spreadsheet (an
.xlsx attachment whose address changes every year, see ``DES_POPULATION_PAGE``); save the
workbook (or a CSV copy) into the data directory by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """name: stable key; url: the file itself, or a page to start from when hops are given;
    hops: regexes of links to follow, in order, to reach the file; filename: the name to save
    a non-zip payload under; unzip: extract zip payloads (xlsx workbooks are never unzipped);
    subdir: folder under the data directory; page: the human-readable page to check."""

    name: str
    url: str
    filename: str
    description: str
    hops: tuple[str, ...] = ()
    unzip: bool = True
    subdir: str = ""
    page: str = ""


NHSD_GP_REG_SERIES = (
    "https://digital.nhs.uk/data-and-information/publications/statistical/"
    "patients-registered-at-a-gp-practice"
)
_LATEST_RELEASE = r"/patients-registered-at-a-gp-practice/[a-z]+-\d{4}$"
# LSOA files come with the quarterly releases only (January, April, July, October), in a zip
# (gp-reg-pat-prac-lsoa-male-female-<Mon>-<yy>.zip: the -all, -male and -female CSVs).
_LATEST_QUARTER = r"/patients-registered-at-a-gp-practice/(january|april|july|october)-\d{4}$"
ODS_DSE_REPORT = "https://www.odsdatasearchandexport.nhs.uk/api/getReport?report={report}"
DES_POPULATION_PAGE = "https://www.england.nhs.uk/gp/investment/gp-contract/network-contract-directed-enhanced-service-des/"


def _nhsd(stem: str, what: str) -> Source:
    return Source(
        name=stem,
        url=NHSD_GP_REG_SERIES,
        filename=f"{stem}.csv",
        description=f"NHS England Digital, Patients Registered at a GP Practice: {what}",
        hops=(_LATEST_RELEASE, rf"/{stem}\.(zip|csv)$"),
        subdir="nhsd_gp_reg_latest",
        page=NHSD_GP_REG_SERIES,
    )


def _ods(report: str, filename: str, what: str) -> Source:
    """An ODS Data Search and Export report."""
    return Source(
        name=report,
        url=ODS_DSE_REPORT.format(report=report),
        filename=filename,
        description=f"ODS {what}",
        subdir="ods_latest",
        page="https://www.odsdatasearchandexport.nhs.uk/",
    )


SOURCES: tuple[Source, ...] = (
    _ods("epraccur", "epraccur.csv", "GP practices (epraccur), via ODS Data Search and Export"),
    # Data Search and Export serves the ePCN's two sheets as two headerless CSV reports
    # (parsers.ods_epcn_csv); the files are read by their content, whatever they are named.
    _ods("epcn", "epcn.csv", "Primary Care Networks (ePCN report epcn)"),
    _ods(
        "epcncorepartnerdetails",
        "epcncorepartnerdetails.csv",
        "PCN core partners: dated practice membership (ePCN report)",
    ),
    _nhsd("gp-reg-pat-prac-map", "practice to PCN, sub-ICB, ICB and region map"),
    _nhsd("gp-reg-pat-prac-all", "registered patients per practice (totals)"),
    _nhsd("gp-reg-pat-prac-quin-age", "registered patients by 5-year age band and sex"),
    _nhsd("gp-reg-pat-prac-sing-age-regions", "registered patients by single year of age, PCN up"),
    Source(
        name="gp-reg-pat-prac-lsoa-all",
        url=NHSD_GP_REG_SERIES,
        filename="gp-reg-pat-prac-lsoa-all.csv",
        description=(
            "NHS England Digital, Patients Registered at a GP Practice: patients per practice "
            "per LSOA of residence (quarterly)"
        ),
        hops=(_LATEST_QUARTER, r"/gp-reg-pat-prac-lsoa[^/]*\.(zip|csv)$"),
        subdir="nhsd_gp_reg_lsoa_latest",
        page=NHSD_GP_REG_SERIES,
    ),
)


def by_name(names: list[str] | None = None) -> tuple[Source, ...]:
    if not names:
        return SOURCES
    known = {s.name: s for s in SOURCES}
    missing = [n for n in names if n not in known]
    if missing:
        raise KeyError(f"unknown source(s) {', '.join(missing)}; known: {', '.join(known)}")
    return tuple(known[n] for n in names)

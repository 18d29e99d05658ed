"""Plain records produced by the registry parsers (one frozen dataclass per kind of row).

Codes are ODS codes as published (upper case, stripped). Empty optional text is ``""``;
an absent optional date or number is ``None``. Nothing here imports Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PracticePcnMembership:
    """One practice row of an NHS England Digital ``gp-reg-pat-prac-map.csv``.

    A snapshot: the practice belonged to the PCN on ``extract_date`` (no start/end dates).

    - practice_code, practice_name, postcode: the practice.
    - pcn_code, pcn_name: its PCN; ``pcn_code == "U"`` ("Unallocated") means in no PCN;
      ``""`` in maps from before the PCNs of July 2019, which have no PCN columns.
    - sub_icb_code/name/ons_code: sub-ICB location (ICB era, from Jul 2022) or CCG (CCG era).
    - icb_code/name/ons_code: ICB (ICB era) or STP (CCG era).
    - region_code/name/ons_code: NHS England commissioning region.
    - supplier: GP clinical system supplier (2026+ files: EMIS/TPP/Medicus), else "".
    - extract_date: the file's EXTRACT_DATE.
    - era: "icb" if the file has SUB_ICB_LOCATION/ICB columns, "ccg" if CCG/STP columns.
    """

    practice_code: str
    practice_name: str
    postcode: str
    pcn_code: str
    pcn_name: str
    sub_icb_code: str
    sub_icb_name: str
    sub_icb_ons_code: str
    icb_code: str
    icb_name: str
    icb_ons_code: str
    region_code: str
    region_name: str
    region_ons_code: str
    supplier: str
    extract_date: date
    era: str

    @property
    def in_pcn(self) -> bool:
        return self.pcn_code != "U"


#: org_type values of :class:`PracticePopulation` (normalised from the files' ORG_TYPE/TYPE).
ORG_TYPES = ("GP", "PCN", "SUB_ICB", "CCG", "ICB", "STP", "REGION", "NATIONAL")


@dataclass(frozen=True, slots=True)
class PracticePopulation:
    """One count of registered patients (``gp-reg-pat-prac-all``, ``-quin-age``, ``-sing-age-*``).

    Despite the name it may be any organisation level: see ``org_type``.

    - org_type: one of :data:`ORG_TYPES` ("GP" = practice; "REGION" = commissioning region;
      "SUB_ICB" from SUB_ICB_LOCATION_CODE rows, "CCG"/"STP" in CCG-era files).
    - org_code: ODS code of the organisation; ons_code: its ONS code or "".
    - postcode: practice postcode (GP rows) or "".
    - parent_code: parent sub-ICB/CCG code where the file gives it (``-all`` files), else "".
    - sex: "ALL", "FEMALE" or "MALE".
    - age_kind: "all" (age ALL), "quinary" (5-year band) or "single" (single year of age).
    - age: "ALL"; quinary "0_4", "5_9", ..., "90_94", "95+"; single "0".."94", "95+".
    - count: number of registered patients (>= 0).
    - extract_date: the file's EXTRACT_DATE.
    """

    org_type: str
    org_code: str
    ons_code: str
    postcode: str
    parent_code: str
    sex: str
    age_kind: str
    age: str
    count: int
    extract_date: date


@dataclass(frozen=True, slots=True)
class EpcnPcn:
    """One row of the ODS ePCN ``PCNDetails`` sheet.

    - pcn_code, pcn_name; postcode of the PCN's registered address.
    - parent_code/parent_name: current sub-ICB location (2022-07+) or CCG (earlier files);
      ``parent_kind`` says which ("sub_icb" or "ccg").
    - open_date; close_date (None while open).
    """

    pcn_code: str
    pcn_name: str
    parent_code: str
    parent_name: str
    parent_kind: str
    open_date: date | None
    close_date: date | None
    postcode: str


@dataclass(frozen=True, slots=True)
class EpcnMembership:
    """One row of the ODS ePCN ``PCN Core Partner Details`` sheet: a dated relationship.

    - practice_code, practice_name: the partner organisation (a GP practice).
    - practice_parent_code: the practice's sub-ICB location / CCG.
    - pcn_code, pcn_name, pcn_parent_code.
    - start_date; end_date (None = open). Ended and future-dated relationships are kept:
      ask "as at" a date with :meth:`active_on`.
    """

    practice_code: str
    practice_name: str
    practice_parent_code: str
    pcn_code: str
    pcn_name: str
    pcn_parent_code: str
    start_date: date | None
    end_date: date | None

    def active_on(self, day: date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or self.end_date >= day
        )


#: status values of :class:`PracticeRecord`.
PRACTICE_STATUSES = ("active", "closed", "dormant", "proposed")


@dataclass(frozen=True, slots=True)
class OdsOrganisation:
    """The columns every ODS file in the epraccur layout starts with (code, name, region,
    ICB, postcode, open and close dates): :class:`PracticeRecord` and :class:`TrustRecord`."""

    code: str
    name: str
    national_grouping: str
    health_geography: str
    postcode: str
    open_date: date | None
    close_date: date | None


@dataclass(frozen=True, slots=True)
class PracticeRecord(OdsOrganisation):
    """One row of ODS ``epraccur.csv`` (no header; 27 columns per the ODS specification).

    - code (col 1), name (col 2), national_grouping (col 3, region), health_geography
      (col 4, ICB/STP), postcode (col 10).
    - open_date (col 11), close_date (col 12, None if open).
    - status: normalised from col 13: old A/C/D/P or new ACTIVE/INACTIVE/DORMANT/PROPOSED to
      "active"/"closed"/"dormant"/"proposed"; status_raw keeps the file's value.
    - sub_type (col 14), commissioner (col 15, sub-ICB/CCG code).
    - join_parent_date (col 16), left_parent_date (col 17).
    - setting (col 26): old format prescribing setting number ("4" = GP practice) or new
      format ODS role code ("RO76" = GP practice).
    - is_gp_practice: setting == "4" or setting == "RO76".
    - amended (col 22): the amended-record indicator was set ("1").
    """

    status: str
    status_raw: str
    sub_type: str
    commissioner: str
    join_parent_date: date | None
    left_parent_date: date | None
    setting: str
    is_gp_practice: bool
    amended: bool


@dataclass(frozen=True, slots=True)
class DesPopulation:
    """One practice row of an NHS England PCN DES adjusted/weighted population file.

    - financial_year: e.g. "2025/26" (see the parser for how it is read from the content).
    - practice_code, practice_name.
    - pcn_code, pcn_name: None when the file says the practice is in no PCN
      ("no_data", "N/A" or blank).
    - icb_code/icb_name, region_code/region_name: "" when the file lacks them.
    - raw_list_size: registered list on the DES reference date (1 January before the year).
    - adjusted_population: the DES adjusted population.
    - weighted_population: Carr-Hill weighted population, None if the file lacks it.
    - latest_list_size / latest_list_size_date: a later raw list size some files add
      (e.g. "Raw list size as of 01/01/25"), else None.
    - pcn_member: the "PCN member <Month YY>" Yes/No column, None if absent.
    - implausible: a ratio between raw, adjusted and weighted figures is outside
      [1/5, 5] (or raw is 0 while another figure is not); implausible_reason says which.
    """

    financial_year: str
    practice_code: str
    practice_name: str
    pcn_code: str | None
    pcn_name: str | None
    icb_code: str
    icb_name: str
    region_code: str
    region_name: str
    raw_list_size: int
    adjusted_population: int
    weighted_population: int | None
    latest_list_size: int | None
    latest_list_size_date: date | None
    pcn_member: bool | None
    implausible: bool
    implausible_reason: str


@dataclass(frozen=True, slots=True)
class PracticeLsoaPopulation:
    """Patients of one practice living in one LSOA (``gp-reg-pat-prac-lsoa-all.csv``).

    - practice_code, practice_name ("" where the file has no name column).
    - lsoa_code as published: an LSOA code, or the file's placeholder for patients whose
      address has no LSOA (e.g. "NO2011").
    - lsoa_year: 2011 or 2021 (the LSOA boundaries the codes belong to), None if unknown.
    - sex: "ALL", "FEMALE" or "MALE"; count >= 0; extract_date: the file's EXTRACT_DATE.
    """

    practice_code: str
    practice_name: str
    lsoa_code: str
    lsoa_year: int | None
    sex: str
    count: int
    extract_date: date


@dataclass(frozen=True, slots=True)
class TrustRecord(OdsOrganisation):
    """One row of ODS ``etr.csv`` (NHS trusts; headerless, the epraccur layout).

    - code, name, postcode: the trust.
    - national_grouping: col 3, the NHS England region (Y56-Y63) or "".
    - health_geography: col 4, the ICB's ODS code where ODS gives one (3 characters, Q..),
      else what the file says (some rows carry other codes) or "".
    - open_date, close_date: cols 11 and 12 (close None while open).
    - amended: col 22 is 1.
    """

    amended: bool


@dataclass(frozen=True, slots=True)
class LsoaDeprivation:
    """One small area (LSOA) with its local authority district and IMD rank.

    - code, name: the LSOA; ``vintage`` the census year of its boundaries (2011 or 2021).
    - lad_code, lad_name: its local authority district; ``lad_vintage`` the year of the
      districts' boundaries (2024 in IoD 2025, 2019 in IoD 2019 and the 2019 lookup).
    - edition: the Indices of Deprivation edition the rank belongs to (2025, 2019, 2015).
    - rank: IMD rank, 1 = most deprived; decile: 1 = most deprived 10%.
    - decile_derived: True where the file has no decile and it was worked out from the rank
      (the IoD rule: decile = ceil(rank x 10 / number of LSOAs), which reproduces every
      decile of IoD 2025 File 1).
    """

    code: str
    name: str
    vintage: int
    lad_code: str
    lad_name: str
    lad_vintage: int
    edition: int
    rank: int
    decile: int
    decile_derived: bool = False

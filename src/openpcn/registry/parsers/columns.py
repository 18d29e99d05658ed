"""The publishers' documented columns and their renamings over the years, one alias table per
file type. The parsers and content detection both read these tables, so a renaming is added
in one place; ``docs/reference/registry.md`` lists every variant with the vintages it covers.

Header names are normalised first (``_common.norm``: upper case, other characters -> "_"), so
"Open Date\\n(YYYYMMDD)" is OPEN_DATE_YYYYMMDD and "Number of Patients" is NUMBER_OF_PATIENTS.
An alias starting with "^" is a regular expression over the normalised name. Within one table
the aliases of different columns never overlap (a header cell matches at most one column).
"""

from __future__ import annotations

import re

from openpcn.registry.parsers._common import Col

#: a date column's name may carry its format: ODS's first ePCN (Dec 2019) says
#: OPEN_DATE_YYYYMMDD where later ones say OPEN_DATE.
_DATE_FORMAT = r"(_YYYYMMDD|_DD_MM_YYYY|_DATE_FORMAT_YYYYMMDD)?"
#: a year in a DES population header: "Raw list size 2024/25" -> RAW_LIST_SIZE_2024_25.
_FY = r"(_\d{4}_\d{2,4})?"


def dated(name: str, *more: str) -> tuple[str, ...]:
    """Aliases for a date column: the name with or without a format suffix."""
    return (rf"^{name}{_DATE_FORMAT}$", *(rf"^{m}{_DATE_FORMAT}$" for m in more))


# --- ODS ePCN workbook (Dec 2019 - ) ---------------------------------------------------------
EPCN_PCN_SHEETS = {"PCNDETAILS", "PCN_DETAILS"}
EPCN_PARTNER_SHEETS = {"PCN_CORE_PARTNER_DETAILS", "PCN_PARTNER_DETAILS", "CORE_PARTNER_DETAILS"}

EPCN_PCN = [
    Col("PCN_CODE", ("PCN_ODS_CODE",)),
    Col("PCN_NAME", required=False),
    # CCG era: "Current Clinical Commissioning Group Code"; Jul 2022 on: "Current Sub ICB Loc Code"
    Col(
        "PARENT_CODE",
        (r"^CURRENT_.*CODE$", r"^(SUB_ICB|ICB|CCG|CLINICAL).*CODE$"),
        required=False,
    ),
    Col(
        "PARENT_NAME",
        ("SUB_ICB_LOCATION", r"^(CURRENT_)?(SUB_ICB|CLINICAL_COMMISSIONING|CCG).*NAME$"),
        required=False,
    ),
    Col("OPEN_DATE", dated("OPEN_DATE")),
    Col("CLOSE_DATE", dated("CLOSE_DATE"), required=False),
    Col("POSTCODE", required=False),
]
EPCN_PARTNER = [
    Col("PARTNER_ORGANISATION_CODE", ("PRACTICE_CODE", "PARTNER_CODE")),
    Col("PARTNER_NAME", ("PRACTICE_NAME",), required=False),
    Col("PRACTICE_PARENT_CODE", (r"^PRACTICE_PARENT_.*CODE$",), required=False),
    Col("PCN_CODE", ("PCN_ODS_CODE",)),
    Col("PCN_NAME", required=False),
    Col("PCN_PARENT_CODE", (r"^PCN_PARENT_.*CODE$",), required=False),
    Col("START_DATE", dated(".*RELATIONSHIP_START_DATE", "START_DATE")),
    Col("END_DATE", dated(".*RELATIONSHIP_END_DATE", "END_DATE"), required=False),
]

# --- NHS England Digital practice map, gp-reg-pat-prac-map.csv ----------------------------------
MAP = [
    Col("EXTRACT_DATE"),
    Col("PRACTICE_CODE"),
    Col("PCN_CODE", required=False),  # maps before the PCNs of July 2019 have none
    Col("PRACTICE_NAME", required=False),
    Col("PRACTICE_POSTCODE", ("POSTCODE",), required=False),
    Col("PCN_NAME", required=False),
    Col("SUB_ICB_LOCATION_CODE", ("SUB_ICB_CODE", "CCG_CODE"), required=False),
    Col("SUB_ICB_LOCATION_NAME", ("SUB_ICB_NAME", "CCG_NAME"), required=False),
    Col("ONS_SUB_ICB_LOCATION_CODE", ("ONS_SUB_ICB_CODE", "ONS_CCG_CODE"), required=False),
    Col("ICB_CODE", ("STP_CODE",), required=False),
    Col("ICB_NAME", ("STP_NAME",), required=False),
    Col("ONS_ICB_CODE", ("ONS_STP_CODE",), required=False),
    Col("COMM_REGION_CODE", ("REGION_CODE", "NHSE_COMM_REGION_CODE"), required=False),
    Col("COMM_REGION_NAME", ("REGION_NAME", "NHSE_COMM_REGION_NAME"), required=False),
    Col("ONS_COMM_REGION_CODE", ("ONS_REGION_CODE", "ONS_COMM_RGN_CODE"), required=False),
    Col("SUPPLIER_NAME", ("SUPPLIER",), required=False),
]

# --- registered patients, long layout (April 2017 - ): one row per organisation/sex/age -------
#: NUMBER_OF_PATIENTS; "Number of Patients" in some LSOA vintages normalises to the same.
PATIENTS = Col("NUMBER_OF_PATIENTS", ("NUMBER_OF_PATIENT", "PATIENTS", "COUNT"))
AGES = {
    "all": Col("AGE", required=False),  # -all: AGE is ALL on every row
    "quinary": Col("AGE_GROUP_5", ("AGE_GROUP", "AGE_BAND", "AGE_GROUP_5_YEAR")),
    "single": Col("AGE"),
}


def population_long(age_kind: str) -> list[Col]:
    """The long layout: -all (AGE ALL), -quin-age, -sing-age-regions, -sing-age-male/female."""
    return [
        Col("EXTRACT_DATE"),
        # ORG_TYPE in the multi-level files; TYPE (=GP) in -all; absent in the per-sex
        # practice files, which hold practices only
        Col("ORG_TYPE", ("TYPE",), required=False),
        Col("ORG_CODE", ("CODE", "PRACTICE_CODE", "GP_PRACTICE_CODE")),
        Col("ONS_CODE", required=False),
        Col("POSTCODE", ("PRACTICE_POSTCODE",), required=False),
        # the practice's parent: CCG_CODE to mid 2022, then SUB_ICB_LOCATION_CODE
        Col("PARENT", ("SUB_ICB_LOCATION_CODE", "SUB_ICB_CODE", "CCG_CODE"), required=False),
        Col("SEX", required=age_kind != "all"),
        AGES[age_kind],
        PATIENTS,
    ]


# --- registered patients, wide layout (before April 2017): one row per practice --------------
WIDE_ID = [
    Col("PRACTICE_CODE", ("GP_PRACTICE_CODE", "CODE", "ORG_CODE")),
    Col("POSTCODE", ("PRACTICE_POSTCODE",), required=False),
    Col("PARENT", ("CCG_CODE", "PARENT_ORGANISATION_CODE"), required=False),
    Col("EXTRACT_DATE", required=False),
    Col("TOTAL_ALL", ("TOTAL", "ALL_PATIENTS")),
    Col("TOTAL_MALE", ("TOTAL_MALES",), required=False),
    Col("TOTAL_FEMALE", ("TOTAL_FEMALES",), required=False),
]
#: MALE_0_4 / FEMALE_85+ (5-year bands), MALE_0_1 or MALE_4 (single year: 0-1 is age 0),
#: MALE_95+ (open top band).
WIDE_AGE = re.compile(r"^(MALE|FEMALE)S?_(\d{1,2})(?:_(\d{1,2}))?(\+|_PLUS)?$")

# --- registered patients by LSOA, gp-reg-pat-prac-lsoa-all.csv (and -male / -female) -------
LSOA = [
    Col("EXTRACT_DATE", required=False),  # the 2014-16 "tall" files have none
    Col("PRACTICE_CODE", ("ORG_CODE", "CODE", "GP_PRACTICE_CODE")),
    Col("PRACTICE_NAME", required=False),
    # LSOA_CODE (2011 LSOAs in the older vintages); a year-named column where the file says
    Col(
        "LSOA_CODE",
        (r"^LSOA_?(20)?(11|21)_?(CODE|CD)$", r"^LSOA_CODE_?(20)?(11|21)$", "LSOA"),
    ),
    Col("SEX", required=False),  # absent in the 2014-16 files: all persons
    Col("NUMBER_OF_PATIENTS", (*PATIENTS.aliases, "ALL_PATIENTS")),
]

# --- NHS England PCN DES adjusted / weighted populations --------------------------------------
DES = [
    Col("PRACTICE_CODE", ("ORGANISATION_CODE", "ODS_CODE", "PRACTICE_ODS_CODE", "GP_CODE")),
    Col("PRACTICE_NAME", ("ORGANISATION_NAME",), required=False),
    Col("PCN_CODE", ("PCN_ODS_CODE",), required=False),
    Col("PCN_NAME", required=False),
    Col("ICB_CODE", ("STP_CODE",), required=False),
    Col("ICB_NAME", ("STP_NAME",), required=False),
    Col("SUB_ICB_CODE", ("SUB_ICB_LOCATION_CODE", "CCG_CODE"), required=False),
    Col("REGION_CODE", ("COMMISSIONING_REGION_CODE",), required=False),
    Col("REGION_NAME", ("REGION", "COMMISSIONING_REGION_NAME"), required=False),
    Col(
        "RAW_LIST_SIZE",
        (rf"^(PRACTICE_)?RAW_LIST_SIZE{_FY}$", "REGISTERED_POPULATION", "LIST_SIZE"),
    ),
    Col("ADJUSTED_POPULATION", (rf"^(PRACTICE_|PCN_)?ADJUSTED_(PRACTICE_)?POPULATION{_FY}$",)),
    Col(
        "WEIGHTED_POPULATION",
        (rf"^(PRACTICE_)?WEIGHTED_(PRACTICE_)?(POPULATION|LIST_SIZE){_FY}$",),
        required=False,
    ),
    Col("LATEST_LIST_SIZE", (r"^RAW_LIST_SIZE_AS_(OF|AT)_.+",), required=False),
    Col("PCN_MEMBER", (r"^PCN_MEMBER(_.+)?$",), required=False),
]

# --- MHCLG English Indices of Deprivation, File 1 (IMD rank and decile by LSOA) --------------
#: IoD 2025: "LSOA code (2021)", "Local Authority District code (2024)",
#: "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)", "... Decile (where 1
#: is most deprived 10% of LSOA". IoD 2019: "LSOA code (2011)", "Local Authority District code
#: (2019)", "Index of Multiple Deprivation (IMD) Rank" / "... Decile". IoD 2015: LAD (2013).
IOD_FILE1 = [
    Col("LSOA_CODE", (r"^LSOA_CODE_(20)?(11|21)$", r"^LSOA(11|21)CD$")),
    Col("LSOA_NAME", (r"^LSOA_NAME_(20)?(11|21)$", r"^LSOA(11|21)NM$"), required=False),
    Col(
        "LAD_CODE",
        (r"^LOCAL_AUTHORITY_DISTRICT_CODE_(20)?\d\d$", r"^LAD(\d\d)CD$"),
    ),
    Col(
        "LAD_NAME",
        (r"^LOCAL_AUTHORITY_DISTRICT_NAME_(20)?\d\d$", r"^LAD(\d\d)NM$"),
        required=False,
    ),
    Col("IMD_RANK", (r"^INDEX_OF_MULTIPLE_DEPRIVATION_IMD_RANK(_.*)?$", r"^IMD_?RANK$")),
    Col("IMD_DECILE", (r"^INDEX_OF_MULTIPLE_DEPRIVATION_IMD_DECILE(_.*)?$", r"^IMD_?DECILE$")),
]

# --- ONS "Index of Multiple Deprivation (December 2019) Lookup in England" ------------------
#: LSOA11CD, LSOA11NM, LAD19CD, LAD19NM, IMD19 (rank), FID.
IMD_LOOKUP = [
    Col("LSOA_CODE", (r"^LSOA(11|21)CD$",)),
    Col("LSOA_NAME", (r"^LSOA(11|21)NM$",), required=False),
    Col("LAD_CODE", (r"^LAD(\d\d)CD$",)),
    Col("LAD_NAME", (r"^LAD(\d\d)NM$",), required=False),
    Col("IMD_RANK", (r"^IMD(\d\d)$", r"^IMD(\d\d)_?RANK$")),
]

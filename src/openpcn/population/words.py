"""The words pages use for coded values: ethnic categories, sex, deprivation quintiles.

Ethnic category codes are the NHS Data Dictionary's ETHNIC CATEGORY (2001 census
classification, one letter), used by GP systems' extracts and NHS England Digital's data sets.
"""

from __future__ import annotations

ETHNIC_CATEGORIES = {
    "A": "White: British",
    "B": "White: Irish",
    "C": "White: any other White background",
    "D": "Mixed: White and Black Caribbean",
    "E": "Mixed: White and Black African",
    "F": "Mixed: White and Asian",
    "G": "Mixed: any other mixed background",
    "H": "Asian or Asian British: Indian",
    "J": "Asian or Asian British: Pakistani",
    "K": "Asian or Asian British: Bangladeshi",
    "L": "Asian or Asian British: any other Asian background",
    "M": "Black or Black British: Caribbean",
    "N": "Black or Black British: African",
    "P": "Black or Black British: any other Black background",
    "R": "Other ethnic groups: Chinese",
    "S": "Other ethnic groups: any other ethnic group",
    "Z": "Not stated",
    "99": "Not known",
}
SEXES = {"F": "Female", "M": "Male", "U": "Unknown", "I": "Indeterminate"}


def group_words(by: str, key: str) -> str:
    """A rate table's group as a person reads it."""
    if by == "ethnicity":
        name = ETHNIC_CATEGORIES.get(key.upper())
        return f"{name} ({key})" if name else ("Not recorded" if key == "unknown" else key)
    if by == "sex":
        return SEXES.get(key.upper(), "Not recorded" if key == "unknown" else key)
    if by == "imd_quintile":
        extra = {"1": " (most deprived)", "5": " (least deprived)"}.get(str(key), "")
        return f"Quintile {key}{extra}" if str(key).isdigit() else "Not known"
    return key

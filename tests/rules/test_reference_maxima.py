"""Every ARRS maximum in the rule files is a figure the research notes give for that role (or
its AfC band) in that year.

The notes are ``nhs-rules-reference.md`` (section 1.4 and its London table) and
``nhs-rules-update-2026-12.md`` (sections 1.2-1.7), found in ``$OPENPCN_DOCS`` or in the
``docs/`` directory two levels above ``$OPENPCN_DATA`` (CI has ``../shared`` beside the
checkout); the test is skipped, saying so, when they are absent.

How the tables are read: each table row names a role (or several, or a band, e.g. "Care
co-ordinator, NA, GPA (4)"); each cell's year comes from its column header ("2020/21"), else
from the row's period cell ("from 1 Oct 2022"), else from the section heading ("1.3 2024/25").
Cells marked U (unfound) are not figures, so the note's estimates (e.g. "~35,270-35,300 (U)")
never count. A rule row matches when its value is in a cell of that year in a row naming its
role, or, for a derived (D) or secondary (S) row, naming its AfC band: the band-equivalence rule
of the update note (section 0). Mental health practitioners take the band-8a figure (the claims
engine does not hold the post's band, see the MHP rows' derivation) and health and wellbeing
coaches the band-5 figure (update note section 1.1). 2026/27 rows repeat 2025/26 exactly.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from openpcn.core.fyear import FinancialYear
from openpcn.rules import load_all

REFERENCE = "nhs-rules-reference.md"
UPDATE = "nhs-rules-update-2026-12.md"

#: role id -> regular expression for the names the notes' tables use for it
ALIASES = {
    "clinical_pharmacist": r"clinical pharmacist|\bcp\b",
    "first_contact_physiotherapist": r"first contact physio|\bfcp\b",
    "pharmacy_technician": r"pharmacy technician|\bpt\b",
    "social_prescribing_link_worker": r"splw|social prescribing",
    "health_wellbeing_coach": r"hwbc|health & wellbeing",
    "apprentice_physician_associate": r"apprentice pa",
    "care_coordinator": r"care co-ordinator",
    "nursing_associate": r"nursing associate|\bna\b",
    "trainee_nursing_associate": r"trainee",
    "gp_assistant": r"gp assistant|\bgpa\b",
    "physician_associate": r"physician associate|\bpa\b",
    "dietitian": r"dietitian",
    "podiatrist": r"podiatrist",
    "occupational_therapist": r"occupational therapist|\bot\b",
    "paramedic": r"paramedic",
    "enhanced_practice_nurse": r"enhanced practice nurse|\bepn\b",
    "advanced_practitioner": r"advanced practitioner|\bap\b",
    "advanced_clinical_practitioner_nurse": r"acp nurse",
    "digital_transformation_lead": r"digital & transformation|\bdtl\b",
    "mental_health_practitioner": r"\bmhp\b|mental health",
    "gpn_new_to_gp": r"new-to-gp|new to gp",
    "gpn_experienced": r"experienced gpn|gpn experienced",
    "consultant_nurse": r"consultant nurse",
    "healthcare_support_worker": r"healthcare support|\bhcsw\b",
    "gp": r"^gp\b",
}
#: the band whose figure a role takes where the notes give only band figures
BAND = {"health_wellbeing_coach": "5", "mental_health_practitioner": "8a"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_NUMBER = re.compile(r"(?<![\d.,])(\d{2,3},\d{3})(?![\d,])")
_FY = re.compile(r"\b(20\d\d)/(\d\d)\b")
_DAY = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r")[a-z]* (20\d\d)\b")
_U = re.compile(r"(^|[\s(])U([\s).,]|$)")


def docs_dir() -> Path | None:
    if os.environ.get("OPENPCN_DOCS"):
        return Path(os.environ["OPENPCN_DOCS"])
    data = os.environ.get("OPENPCN_DATA")
    return Path(data).resolve().parent.parent / "docs" if data else None


def _year(text: str) -> str | None:
    day = _DAY.search(text)
    if day:
        d = date(int(day.group(3)), MONTHS.index(day.group(2)[:3]) + 1, int(day.group(1)))
        return str(FinancialYear.containing(d))
    fy = _FY.search(text)
    return f"{fy.group(1)}-{fy.group(2)}" if fy else None


def _band(label: str) -> set[str]:
    """AfC bands a table row names: '(7-8a)', '(4; GPA from Oct-22)', 'band 7 roles'."""
    text = label.replace("–", "-").replace("≤", "")
    bands = set(re.findall(r"\((\d[a-c]?(?:-\d[a-c]?)?)[;)]", text))
    bands |= set(re.findall(r"\bband (\d[a-c]?)\b", text))
    return bands


def tables(path: Path, wanted: tuple[str, ...]):
    """(section year or None, header cells, row cells) for each table row under a heading
    starting with one of ``wanted``."""
    section, header, in_table = None, None, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            section = line.lstrip("#").strip() if line.startswith("###") else None
            in_table = False
            continue
        if section is None or not section.startswith(wanted):
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not in_table:
            header, in_table = cells, True
        elif not set("".join(cells)) <= set("-: "):
            yield _year(section.split(" ", 1)[1]), header, cells


def figures(docs: Path) -> list[tuple[str, str, set[int]]]:
    """(year, row label, figures given in that year) for every table row of both notes."""
    out = []
    sources = [
        (docs / REFERENCE, ("1.4 ",)),
        (docs / UPDATE, ("1.2 ", "1.3 ", "1.4 ", "1.5 ", "1.6 ", "1.7 ")),
    ]
    for path, wanted in sources:
        for section_year, header, cells in tables(path, wanted):
            label = cells[0].replace("*", "").lower()
            period = next(
                (c for h, c in zip(header, cells, strict=False) if h in ("Period", "Date")), ""
            )
            by_year: dict[str, set[int]] = {}
            for head, cell in zip(header[1:], cells[1:], strict=False):
                year = _year(head) or _year(period) or section_year
                if head in ("Period", "Date") or head.startswith(("Confidence", "Source")):
                    continue
                if year is None:
                    continue
                # "65,838 / U / U": the parts marked U are not figures
                parts = [p for p in cell.replace("*", "").split(" / ") if not _U.search(p)]
                found = {int(n.replace(",", "")) for p in parts for n in _NUMBER.findall(p)}
                by_year.setdefault(year, set()).update(found)
            out += [(y, label, f) for y, f in by_year.items() if f]
    return out


@pytest.fixture(scope="module")
def notes():
    docs = docs_dir()
    if docs is None or not (docs / REFERENCE).exists() or not (docs / UPDATE).exists():
        pytest.skip(
            f"the research notes {REFERENCE} and {UPDATE} are not in {docs} (set OPENPCN_DOCS"
            " or OPENPCN_DATA so that ../../docs holds them)"
        )
    return figures(docs)


def _matches(notes, year: str, role: str, band: str, value: int, by_band: bool) -> bool:
    alias = re.compile(ALIASES[role])
    for y, label, found in notes:
        if y != year or value not in found:
            continue
        if alias.search(label) or (by_band and band in _band(label)):
            return True
    return False


def test_the_notes_tables_are_read(notes):
    years = {y for y, _, _ in notes}
    assert {"2019-20", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25", "2025-26"} <= years
    cp = {
        v for y, label, f in notes if y == "2024-25" and "clinical pharmacist" in label for v in f
    }
    assert {62340, 65838, 73189, 76313} <= cp
    assert not any(35270 in f for _, _, f in notes)  # an estimate marked U is not a figure
    fcp = {v for y, label, f in notes if y == "2024-25" and label.startswith("fcp") for v in f}
    assert fcp == {62340, 65838}  # "65,838 / U / U": the London parts are unfound


def test_every_maximum_in_the_rule_files_is_a_figure_of_the_notes(notes):
    every = load_all()
    wrong = []
    for year, rules in every.items():
        bands = {r.id: BAND.get(r.id, r.afc_band.replace("–", "-")) for r in rules.roles}
        for row in rules.rows("arrs_max_reimbursement."):
            role = row.key.split(".")[1]
            if row.carried_from:
                earlier = every[row.carried_from]
                same = [r for r in earlier.rows(row.key) if r.key == row.key]
                if not any(r.value == row.value for r in same):
                    wrong.append(
                        f"{year} {row.key}: {row.value} is not the {row.carried_from} figure"
                    )
                continue
            by_band = row.confidence in ("D", "S") or bool(row.derivation)
            if not _matches(notes, year, role, bands[role], int(row.value), by_band):
                wrong.append(f"{year} {row.key} from {row.applies_from}: {row.value}")
    assert not wrong, "figures the notes do not give:\n" + "\n".join(wrong)


def test_verified_only_for_official_figures(notes):
    for year, rules in load_all().items():
        for row in rules.rows("arrs_max_reimbursement."):
            if row.confidence in ("S", "D") or row.derivation or row.carried_from:
                assert not row.verified, f"{year} {row.key} {row.applies_from}"
            elif row.confidence in ("O", "Oq"):
                assert row.verified, f"{year} {row.key} {row.applies_from}"

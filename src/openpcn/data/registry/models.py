"""Organisations with dated parent relationships, registered populations, and what was ingested.

One table for every organisation (nation, region, ICB, sub-ICB location, PCN, practice and
partners: trusts, local authorities, voluntary organisations, pharmacies, care homes); one
table of dated relations (child, parent, kind, start, end). Membership is always asked "as
at" a date. PCN populations are never stored: they are sums of members. Small areas (LSOAs)
with their local authority and deprivation rank are in :class:`Lsoa`.
"""

from __future__ import annotations

from django.db import models


class OrgKind(models.TextChoices):
    NATION = "nation", "Nation"
    REGION = "region", "NHS England region"
    ICB = "icb", "Integrated care board"
    SUB_ICB = "sub_icb", "Sub-ICB location"
    CCG = "ccg", "Clinical commissioning group"
    STP = "stp", "Sustainability and transformation partnership"
    PCN = "pcn", "Primary care network"
    PRACTICE = "practice", "GP practice"
    CARE_HOME = "care_home", "Care home"
    TRUST = "trust", "NHS trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    PHARMACY = "pharmacy", "Community pharmacy"
    PARTNER = "partner", "Partner organisation"
    UNALIGNED = "unaligned", "No PCN (unaligned practices)"


class Organisation(models.Model):
    code = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=16, choices=OrgKind.choices, db_index=True)
    name = models.CharField(max_length=200)
    postcode = models.CharField(max_length=10, blank=True)
    ons_code = models.CharField(max_length=12, blank=True)
    opened = models.DateField(null=True, blank=True)
    closed = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RelationKind(models.TextChoices):
    PCN_MEMBER = "pcn_member", "practice is a member of PCN"
    IN_SUB_ICB = "in_sub_icb", "is in sub-ICB location"
    IN_ICB = "in_icb", "is in ICB"
    IN_REGION = "in_region", "is in region"
    IN_CCG = "in_ccg", "is in CCG"
    IN_STP = "in_stp", "is in STP"


class Relation(models.Model):
    """``child`` belongs to ``parent`` from ``start`` to ``end`` (inclusive; None = open).

    ``source`` names the file the relation came from; ``observed`` the as-of date of
    that file, so the newest information at or before a date wins.
    """

    child = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="parents")
    parent = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(max_length=16, choices=RelationKind.choices)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    observed = models.DateField()
    source = models.ForeignKey(
        "registry.IngestedFile", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        indexes = [
            models.Index(fields=["kind", "observed"]),
            models.Index(fields=["parent", "kind"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "parent", "kind", "start", "observed"], name="relation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.kind} {self.parent_id} ({self.start}..{self.end})"


class IngestedFile(models.Model):
    """A record of every file imported: name, hash, type, as-of date and row counts."""

    name = models.CharField(max_length=300)
    path = models.CharField(max_length=1000)
    sha256 = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=40)
    as_of = models.DateField()
    rows_read = models.IntegerField(default=0)
    rows_loaded = models.IntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "as_of"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}, {self.as_of})"


class RegisteredPopulation(models.Model):
    """Patients registered with an organisation on an extract date, by sex and age.

    Practices are stored; PCN, ICB and England figures are sums of members as at the date
    and are never stored, except where a file publishes no practice rows (single year of
    age is published for PCNs only), in which case the PCN rows are kept.
    ``age`` is 'ALL', a 5-year band such as '0_4' or '95+', or a single year '0'..'94', '95+'
    (``age_kind`` says which).
    """

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="populations")
    extract_date = models.DateField(db_index=True)
    sex = models.CharField(max_length=6)  # ALL, FEMALE, MALE
    age_kind = models.CharField(max_length=6)  # all, band5, single
    age = models.CharField(max_length=6)
    count = models.IntegerField()
    source = models.ForeignKey(IngestedFile, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "extract_date", "sex", "age_kind", "age"], name="population_unique"
            )
        ]
        indexes = [models.Index(fields=["extract_date", "sex", "age_kind", "age"])]

    def __str__(self) -> str:
        return f"{self.org_id} {self.extract_date} {self.sex} {self.age}: {self.count}"


class DesPopulation(models.Model):
    """Raw, adjusted and weighted list sizes per practice per financial year (NHS England).

    Rows whose figures look implausible (e.g. weighted many times the raw list) are kept, as
    NHS England pays on the file's figures, but flagged with the reason; every figure built on
    them says so, and the import lists them as warnings."""

    practice = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="des_populations"
    )
    financial_year = models.CharField(max_length=7)  # '2025-26'
    pcn_code = models.CharField(max_length=16, blank=True)
    raw_list_size = models.IntegerField(null=True)
    adjusted_population = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    weighted_population = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    list_size_date = models.DateField(null=True, blank=True)
    pcn_name = models.CharField(max_length=200, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    implausible = models.BooleanField(default=False)
    implausible_reason = models.CharField(max_length=300, blank=True)
    source = models.ForeignKey(IngestedFile, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "financial_year"], name="des_pop_unique")
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} {self.financial_year}"


class Lsoa(models.Model):
    """A lower layer super output area of one census vintage (2011 or 2021 boundaries) with
    its local authority district and its IMD rank and decile in one IoD edition.

    The code alone is not unique: most LSOAs kept their code from 2011 to 2021. A decile
    marked ``decile_derived`` was worked out from the rank (the file had none)."""

    code = models.CharField(max_length=9)
    vintage = models.PositiveSmallIntegerField()  # 2011, 2021
    name = models.CharField(max_length=100, blank=True)
    lad_code = models.CharField(max_length=9, db_index=True)
    lad_name = models.CharField(max_length=100, blank=True)
    lad_vintage = models.PositiveSmallIntegerField()
    edition = models.PositiveSmallIntegerField()  # IoD 2025, 2019, 2015
    imd_rank = models.PositiveIntegerField()
    imd_decile = models.PositiveSmallIntegerField()
    decile_derived = models.BooleanField(default=False)
    source = models.ForeignKey(IngestedFile, on_delete=models.PROTECT)

    class Meta:
        ordering = ["vintage", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "vintage"], name="lsoa_code_vintage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.vintage}) {self.name}"


class LsoaRegistration(models.Model):
    """Patients of one practice living in one LSOA on an extract date, by sex as published
    (NHS England Digital ``gp-reg-pat-prac-lsoa-all.csv`` and its ``-male``/``-female`` files).

    ``lsoa_code`` as published: an LSOA code of ``lsoa_vintage`` (2011 or 2021 boundaries),
    or the file's placeholder for patients with no LSOA ("NO2011", "NO2021", "CLOSED").
    ``sex`` is ALL, FEMALE or MALE: the -all file's ALL rows are the persons counts; MALE and
    FEMALE rows are never added to them. A later file of the same extract, vintage and sexes
    replaces the earlier one's rows."""

    practice = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="lsoa_registrations"
    )
    extract_date = models.DateField()
    lsoa_vintage = models.PositiveSmallIntegerField()  # 2011, 2021
    lsoa_code = models.CharField(max_length=12)
    sex = models.CharField(max_length=6)  # ALL, FEMALE, MALE
    count = models.IntegerField()
    source = models.ForeignKey(IngestedFile, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "extract_date", "lsoa_vintage", "sex", "lsoa_code"],
                name="lsoa_registration_unique",
            )
        ]
        indexes = [models.Index(fields=["extract_date", "lsoa_vintage", "sex"])]

    def __str__(self) -> str:
        return f"{self.practice_id} {self.lsoa_code} {self.sex} {self.extract_date}: {self.count}"

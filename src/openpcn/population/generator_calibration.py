"""What the synthetic generator draws from, besides the NHS files it reads: which code list
stands for each QOF register and how steeply it rises with age, the base prevalence of the
other eFI deficits, the medicine lists filler repeats must avoid, and the ethnic mix."""

from __future__ import annotations

# QOF group -> (code list, age slope per year, diabetic multiplier)
CONDITIONS = {
    "DM": ("efi/diabetes", 0.035, 1.0),
    "HYP": ("efi/hypertension", 0.06, 2.5),
    "CKD": ("efi/ckd", 0.08, 2.5),
    "AF": ("efi/atrial-fibrillation", 0.09, 1.0),
    "CHD": ("efi/chd", 0.07, 1.8),
    "HF": ("efi/heart-failure", 0.09, 1.5),
    "STIA": ("efi/stroke-tia", 0.08, 1.3),
    "COPD": ("efi/respiratory-disease", 0.06, 1.0),
    "AST": ("pincer/ast", 0.0, 1.0),
    "DEM": ("efi/cognitive-problems", 0.14, 1.0),
    "OST": ("efi/osteoporosis", 0.08, 1.0),
    "PAD": ("efi/pvd", 0.07, 1.8),
    "RA": ("efi/arthritis", 0.04, 1.0),
    "LD": ("medrev/nhsd-primary-care-domain-refsets-ld_cod", -0.01, 1.0),
}
# eFI deficits not represented by a QOF register: base prevalence at 65 and age slope
OTHER_DEFICITS = {
    "activity-limitation": 0.03,
    "anaemia": 0.08,
    "dizziness": 0.08,
    "dyspnoea": 0.08,
    "falls": 0.09,
    "foot-problems": 0.05,
    "fragility-fracture": 0.05,
    "hearing-loss": 0.12,
    "heart-valve-disease": 0.03,
    "housebound": 0.03,
    "hypotension": 0.04,
    "mobility-problems": 0.04,
    "parkinsons": 0.02,
    "peptic-ulcer": 0.04,
    "care-requirement": 0.03,
    "skin-ulcer": 0.03,
    "sleep-disturbance": 0.07,
    "social-vulnerability": 0.04,
    "thyroid-disorders": 0.08,
    "urinary-incontinence": 0.07,
    "urinary-system-disease": 0.06,
    "vision-problems": 0.10,
    "weight-loss": 0.03,
}
# filler repeat medicines exclude every list a definition looks for
HAZARD_LISTS = [
    f"pincer/{x}"
    for x in [
        "nsaid",
        "ppi",
        "aspirin",
        "non_asp_antiplate",
        "antiplat",
        "anticoag",
        "nsbb",
        "acei",
        "diur",
        "met",
        "lith",
        "amio",
    ]  # noqa: E501
] + [
    "medrev/opensafely-addictive-medicines",
    "aurum/opioids_aurum",
    "medrev/opensafely-high-dose-long-acting-opioids-openprescribing-dmd",
]
ETHNICITY = (
    list("ABCDEFGHJKLMNPRSZ"),
    [
        0.74,
        0.02,
        0.05,
        0.01,
        0.01,
        0.01,
        0.01,
        0.01,
        0.03,
        0.02,
        0.01,
        0.01,
        0.03,
        0.01,
        0.01,
        0.01,
        0.01,
    ],
)

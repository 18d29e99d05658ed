"""Network services engines (pure Python, no Django): Enhanced Health in Care Homes,
Enhanced Access and the Investment and Impact Fund (IIF).

Modules: :mod:`.workingdays` (7-working-day care plan rule), :mod:`.cqc` (CQC care homes
file), :mod:`.postcodes` and :mod:`.alignment` (home -> PCN alignment, suggestions,
conflicts), :mod:`.carehome_money` (care home premium, weekly rounds),
:mod:`.carehome_dashboard` (what is overdue per home and per PCN),
:mod:`.enhanced_access`, :mod:`.iif` (definitions, achievement file, sliding scale, payments).
"""

"""ARRS workforce: the staff register, the national NWRS PCN workforce file, benchmarks, coverage.

Pure Python (no Django):

- :mod:`.nwrs`: parse NHS England Digital's "PCN Workforce" individual-level CSV.
- :mod:`.role_map`: NWRS staff roles -> stable ARRS role ids (data in ``data/arrs_role_map.yaml``).
- :mod:`.benchmark`: FTE per 10,000 registered patients by role, against the ICB and England.
- :mod:`.register`: staff register, vacancies and non-ARRS staff (validated dataclasses).
- :mod:`.coverage`: sessions per member practice against each practice's fair share.
"""

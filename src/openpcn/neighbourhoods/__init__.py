"""Neighbourhoods (issue 18): named, dated sets of 2021 LSOAs, pure logic only.

- :mod:`.areas`: reading a list of LSOA codes, checking it against the IoD 2025 vintage, and
  a footprint's local authorities and deprivation profile (LSOAs by IMD decile);
- dated versions and relations that must not overlap: :mod:`openpcn.core.periods`.

No Django here: ``openpcn.data.neighbourhoods`` hands these functions plain data.
"""

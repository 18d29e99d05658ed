"""Investment and Impact Fund (IIF): definitions per year as data, the achievement file,
the sliding scale and payments. Pure Python.

- :mod:`.schema` / :func:`.definitions.load_year`: definitions
  (``definitions/<yyyy-yy>.yaml``)
- :mod:`.achievement_file`: NHS England Digital "Network Contract DES (MI) IIF" CSV
- :mod:`.scale`: achievement, points on the sliding scale, patients to the next threshold
- :mod:`.payments`: roll-up of practice measures to PCNs and £ per PCN per indicator
"""

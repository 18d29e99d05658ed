"""A PCN's governance (issue 18 part 4), pure rules only: Django-free, plain data in.

- :mod:`.agreement`: the network agreement's parties and dates (no two agreements of one PCN
  overlap; every party is a member practice as at the agreement's start);
- :mod:`.records`: decisions (what, when, by whom, for which practices), meetings and their
  actions (the shared action rules are :mod:`openpcn.core.actions`);
- :mod:`.cd_time`: the clinical director's recorded hours against the time the DES funds
  (the rules file's WTE per 50,000 patients), as explained figures;
- :mod:`.maturity`: the maturity self-assessment (domains in ``maturity.yaml``) over time.

``openpcn.data.governance`` asks the registry and the rules and hands these plain data.
"""

"""Rota engine: optimal rotas on OR-Tools CP-SAT.  Pure Python, imports no Django.

Two problems live here:

* the PCN rota (:mod:`openpcn.rota.pcn`): staff shared across member practices, rooms,
  Enhanced Access, care home rounds, fairness, requests; with plain-words explanations;
* the schedulingbenchmarks.org staff-rostering benchmark (:mod:`openpcn.rota.curtois`):
  parser, CP-SAT model and an independent scorer.
"""

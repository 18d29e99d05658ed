"""Rota engine: optimal rotas on OR-Tools CP-SAT and HiGHS.  Pure Python, imports no Django.

* the PCN rota (:mod:`openpcn.rota.pcn`): staff shared across member practices, rooms,
  Enhanced Access, care home rounds, fairness, requests; with plain-words explanations;
* the search any rota model can use: the one large neighbourhood search driver around CP-SAT
  (:mod:`openpcn.rota.lns`; the neighbourhoods, given per problem, in
  :mod:`openpcn.rota.neighbourhoods`) and the LP-guided search with exact HiGHS sub-MIPs
  (:mod:`openpcn.rota.mip_lns`, :mod:`openpcn.rota.mip_search`, :mod:`openpcn.rota.mip`,
  :mod:`openpcn.rota.highs_run`).

The schedulingbenchmarks.org staff-rostering benchmark sits beside this package, in
:mod:`openpcn.rota_benchmark`: it uses the search here, and nothing here uses it.
"""

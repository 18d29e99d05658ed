"""The PCN rota: staff shared across member practices, rooms, Enhanced Access, care homes.

Import from the module that holds the idea: ``instance`` (the problem: practices, sites,
staff, sessions, demand, weights), ``engine`` (``solve_rota``), ``model`` (``RotaResult``,
``Assignment``), ``jsonio`` (files), ``check`` (an independent check of a rota).
"""

"""The PCN rota: staff shared across member practices, rooms, Enhanced Access, care homes."""

from openpcn.rota.pcn.engine import solve_rota
from openpcn.rota.pcn.instance import (
    SESSIONS_PER_WTE,
    CareHome,
    Demand,
    EnhancedAccess,
    Fairness,
    Practice,
    Request,
    RotaInstance,
    Session,
    Site,
    Slot,
    Staff,
    Weights,
)
from openpcn.rota.pcn.model import RotaResult

__all__ = [
    "SESSIONS_PER_WTE",
    "CareHome",
    "Demand",
    "EnhancedAccess",
    "Fairness",
    "Practice",
    "Request",
    "RotaInstance",
    "RotaResult",
    "Session",
    "Site",
    "Slot",
    "Staff",
    "Weights",
    "solve_rota",
]

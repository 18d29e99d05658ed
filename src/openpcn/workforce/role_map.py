"""NWRS staff roles mapped to stable ARRS role ids, from ``data/arrs_role_map.yaml``.

Use::

    from openpcn.workforce.role_map import load_role_map
    rm = load_role_map()
    rm.arrs_role("Pharmacists", "Pharmacist")      # 'clinical_pharmacist'
    rm.lookup("Salaried GPs", "Salaried By PCN")   # RoleMapping(..., verified=False)

Matching trims and case-folds both values; a row for the exact (staff role, detailed role)
wins over the staff role's "*" row. An unknown role raises :class:`UnmappedRoleError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

NON_ARRS = "non_arrs"
ANY = "*"
DEFAULT_PATH = Path(__file__).with_name("data") / "arrs_role_map.yaml"


class UnmappedRoleError(KeyError):
    """A staff role that the role map does not cover."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the sentence readable
        return str(self.args[0])


class RoleMapError(ValueError):
    """The role map file itself is wrong (missing field, unknown role id, duplicate row)."""


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    service: str
    staff_word: str
    reference: str

    @property
    def is_arrs(self) -> bool:
        return self.id != NON_ARRS


@dataclass(frozen=True)
class RoleMapping:
    staff_role: str
    detailed: str
    arrs_role: str
    reason: str
    verified: bool


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class RoleMap:
    roles: dict[str, Role]
    mappings: tuple[RoleMapping, ...]
    source: str

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], RoleMapping] = {}
        for m in self.mappings:
            key = (_key(m.staff_role), ANY if m.detailed == ANY else _key(m.detailed))
            if key in index:
                raise RoleMapError(
                    f"{self.source}: mapping for {m.staff_role!r} / {m.detailed!r} appears twice"
                )
            index[key] = m
        object.__setattr__(self, "_index", index)

    def lookup(self, staff_role: str, detailed: str = "") -> RoleMapping:
        index = self._index  # type: ignore[attr-defined]
        role = _key(staff_role)
        hit = index.get((role, _key(detailed))) or index.get((role, ANY))
        if hit is None:
            raise UnmappedRoleError(
                f"staff role {staff_role!r} (detailed role {detailed!r}) is not in the ARRS "
                f"role map {Path(self.source).name}: add a row for it"
            )
        return hit

    def arrs_role(self, staff_role: str, detailed: str = "") -> str:
        return self.lookup(staff_role, detailed).arrs_role

    @property
    def arrs_role_ids(self) -> tuple[str, ...]:
        """Every ARRS role id (non_arrs excluded), in file order."""
        return tuple(r for r in self.roles if r != NON_ARRS)

    def name(self, role_id: str) -> str:
        role = self.roles.get(role_id)
        return role.name if role else role_id


def _text(source: str, where: str, row: dict, name: str) -> str:
    value = row.get(name)
    if value is None or not str(value).strip():
        raise RoleMapError(f"{source}: {where}, field {name}: missing")
    return str(value).strip()


def parse_role_map(data: dict, source: str = "arrs_role_map.yaml") -> RoleMap:
    """Validate the YAML content and build the map (errors name the row and field)."""
    if not isinstance(data, dict) or not isinstance(data.get("roles"), dict):
        raise RoleMapError(f"{source}: needs a 'roles' mapping and a 'mappings' list")
    roles: dict[str, Role] = {}
    for role_id, row in data["roles"].items():
        where = f"role {role_id}"
        if not isinstance(row, dict):
            raise RoleMapError(f"{source}: {where}: expected a mapping")
        roles[role_id] = Role(
            id=role_id,
            **{f: _text(source, where, row, f) for f in ("name", "service", "staff_word")},
            reference=_text(source, where, row, "reference"),
        )
    if NON_ARRS not in roles:
        raise RoleMapError(f"{source}: roles must include {NON_ARRS}")
    rows = data.get("mappings")
    if not isinstance(rows, list) or not rows:
        raise RoleMapError(f"{source}: 'mappings' must be a non-empty list")
    mappings = []
    for i, row in enumerate(rows, 1):
        where = f"mapping {i}"
        if not isinstance(row, dict):
            raise RoleMapError(f"{source}: {where}: expected a mapping")
        arrs_role = _text(source, where, row, "arrs_role")
        if arrs_role not in roles:
            raise RoleMapError(
                f"{source}: {where}, field arrs_role: {arrs_role!r} is not a role id in 'roles'"
            )
        verified = row.get("verified")
        if not isinstance(verified, bool):
            raise RoleMapError(f"{source}: {where}, field verified: must be true or false")
        mappings.append(
            RoleMapping(
                staff_role=_text(source, where, row, "staff_role"),
                detailed=_text(source, where, row, "detailed"),
                arrs_role=arrs_role,
                reason=_text(source, where, row, "reason"),
                verified=verified,
            )
        )
    return RoleMap(roles=roles, mappings=tuple(mappings), source=source)


@lru_cache(maxsize=4)
def load_role_map(path: str | Path = DEFAULT_PATH) -> RoleMap:
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        return parse_role_map(yaml.safe_load(fh), str(path))

"""Adopting a scenario: its changes made real register records in one transaction, audited
(all or nothing; decision 0017). Membership changes and another ICB's rules cannot be adopted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from openpcn.data.finance.models import StaffMember, StaffSession, Vacancy
from openpcn.data.registry.models import Organisation
from openpcn.data.scenarios.models import Scenario, Status
from openpcn.data.scenarios.store import (
    ScenarioError,
    _close,
    _open,
    _pk,
    _u,
    _via,
    changes_of,
    check,
)
from openpcn.finance.money import pennies
from openpcn.scenarios import changes as ch


@dataclass(frozen=True)
class Adopted:
    created: tuple[str, ...]  # staff ids
    changed: tuple[str, ...]
    deleted: tuple[str, ...]  # vacancy ids


def adopt(scenario: Scenario, *, user=None, request=None) -> Adopted:
    """Make the newest version's changes real records in one transaction, audited; all or
    nothing. Membership changes cannot be adopted: the registry's membership comes from NHS
    England's files, not from OpenPCN."""
    _open(scenario)
    changes = changes_of(scenario)
    for i, c in enumerate(changes, 1):
        if isinstance(c, ch.PracticeJoins):  # and PracticeLeaves
            raise ScenarioError(
                f"change {i} ({c.describe()}) cannot be adopted: a PCN's membership comes from"
                " NHS England's ODS files; it changes when they record it"
            )
        if isinstance(c, ch.RulesYear):
            raise ScenarioError(
                f"change {i} ({c.describe()}) cannot be adopted: a year's rules are NHS England's"
            )
        if isinstance(c, ch.RulesVariant):
            raise ScenarioError(
                f"change {i} ({c.describe()}) cannot be adopted: a PCN's rules are its ICB's;"
                " the ICB's commissioner changes its local variation"
            )
        if isinstance(c, ch.Rooms):
            raise ScenarioError(
                f"change {i} ({c.describe()}) cannot be adopted: OpenPCN does not record rooms;"
                " the rota page counts them from each practice's list size"
            )
        if isinstance(c, ch.CareHomeAligned) and not c.lead_practice:
            raise ScenarioError(
                f"change {i} ({c.describe()}) cannot be adopted: give the lead practice first"
            )
        if isinstance(c, ch.Recruit) and not (c.employer and c.base_site):
            raise ScenarioError(
                f"change {i} ({c.describe()}) cannot be adopted: give the employing"
                " organisation and the base site first"
            )
    pcn = scenario.pcn
    created, changed, deleted = [], [], []
    with transaction.atomic():
        check(pcn.code, scenario.as_at, changes)  # still valid against today's records
        for c in changes:
            if isinstance(c, ch.Recruit):
                s = StaffMember.objects.create(
                    pcn=pcn, name=f"New {c.role.replace('_', ' ')} ({scenario.name})"[:120],
                    role=c.role, afc_band=c.band, wte=c.wte, start_date=c.start,
                    end_date=c.end, employment_model=c.employment_model,
                    employer_ods=c.employer, base_practice=c.base_site, region=c.region,
                    monthly_gross=c.monthly_gross, monthly_employer_ni=c.monthly_employer_ni,
                    monthly_employer_pension=c.monthly_employer_pension,
                )  # fmt: skip
                StaffSession.objects.bulk_create(
                    StaffSession(staff=s, practice_code=code, sessions=n) for code, n in c.sessions
                )
                created.append(s.staff_id)
            elif isinstance(c, ch.Leave):
                s = _staff(pcn, c.staff_id)
                s.end_date = c.on
                s.save()
                changed.append(s.staff_id)
            elif isinstance(c, ch.ChangeWte):
                s = _staff(pcn, c.staff_id)
                k = c.wte / s.wte
                pay = {
                    f: (None if getattr(s, f) is None else pennies(getattr(s, f) * k))
                    for f in ("monthly_gross", "monthly_employer_ni", "monthly_employer_pension")
                }
                if c.start <= s.start_date:
                    for f, v in pay.items():
                        setattr(s, f, v)
                    s.wte = c.wte
                    s.save()
                    changed.append(s.staff_id)
                else:
                    end, s.end_date = s.end_date, c.start - timedelta(1)
                    s.save()
                    changed.append(s.staff_id)
                    sessions = list(s.sessions.all())
                    s.pk = None
                    s.wte, s.start_date, s.end_date = c.wte, c.start, end
                    for f, v in pay.items():
                        setattr(s, f, v)
                    s.save()
                    for sess in sessions:
                        sess.pk, sess.staff = None, s
                        sess.save()
                    created.append(s.staff_id)
            elif isinstance(c, ch.CareHomeAligned):
                from openpcn.data.services.models import CareHome, CareHomeAlignment

                lead = Organisation.objects.filter(code=c.lead_practice).first()
                if lead is None:
                    raise ScenarioError(f"{c.describe()}: no practice {c.lead_practice}")
                a = CareHomeAlignment.objects.create(
                    home=CareHome.objects.get(location_id=c.location_id), pcn=pcn,
                    lead_practice=lead, start=c.start,
                    aligned_by=_u(user).get_username() if _u(user) else _via(user),
                )  # fmt: skip
                created.append(f"alignment {a.pk}")
            elif isinstance(c, ch.CareHomeUnaligned):
                from openpcn.data.services.models import CareHomeAlignment

                a = CareHomeAlignment.objects.filter(
                    home__location_id=c.location_id, pcn=pcn, end__isnull=True
                ).first()
                if a is None:
                    raise ScenarioError(f"{c.describe()}: the home has no open alignment")
                a.end = c.end
                a.save()
                changed.append(f"alignment {a.pk}")
            elif isinstance(c, ch.VacancyUnfilled):
                v = _vacancy(pcn, c.vacancy_id)
                v.delete()
                deleted.append(c.vacancy_id)
        done = Adopted(tuple(created), tuple(changed), tuple(deleted))
        _close(scenario, Status.adopted, user, request, created=list(done.created),
               changed=list(done.changed), deleted=list(done.deleted))  # fmt: skip
    return done


def _own(model, pcn, ref: str, prefix: str, what: str):
    """The PCN's record ``ref`` (``S12`` / ``V3``) of ``model``; ScenarioError naming it."""
    pk = _pk(ref, prefix)
    found = model.objects.filter(pcn=pcn, pk=pk).first() if pk else None
    if found is None:
        raise ScenarioError(f"{ref} is not {what.format(pcn=pcn.code)}")
    return found


def _staff(pcn, staff_id: str) -> StaffMember:
    return _own(StaffMember, pcn, staff_id, "S", "on {pcn}'s staff register")


def _vacancy(pcn, vacancy_id: str) -> Vacancy:
    return _own(Vacancy, pcn, vacancy_id, "V", "one of {pcn}'s vacancies")


__all__ = ["Adopted", "adopt"]

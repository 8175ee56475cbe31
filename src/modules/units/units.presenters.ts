import type { Actor } from '../../floor/context.js';

export function presentUnit(u: any) {
  return {
    id: u.id,
    name: u.name,
    kind: u.kind,
    level: u.level ?? null,
    parentId: u.parent_id ?? u.parentId ?? null,
    divisionCode: u.division_code ?? u.divisionCode ?? null,
    departmentType: u.department_type ?? u.departmentType ?? null,
    dutyPhone: u.duty_phone ?? u.dutyPhone ?? null,
    fax: u.fax ?? null,
    workingHours: u.working_hours ?? u.workingHours ?? null,
    disabled: !!u.disabled,
    responsibleConfirmedAt: u.responsible_confirmed_at ?? u.responsibleConfirmedAt ?? null,
  };
}

export function presentUser(u: any) {
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    unitId: u.unit_id ?? u.unitId,
    roles: u.roles,
    officerType: u.officer_type ?? u.officerType ?? null,
    post: u.post ?? null,
    phone: u.phone ?? null,
    email: u.email ?? null,
    disabled: !!u.disabled,
    lockedUntil: u.locked_until ?? null,
  };
}

export function presentMe(a: Actor) {
  return {
    id: a.id,
    username: a.username,
    name: a.name,
    unitId: a.unitId,
    roles: a.roles,
    unit: {
      id: a.unit.id,
      name: a.unit.name,
      kind: a.unit.kind,
      level: a.unit.level,
      parentId: a.unit.parentId,
    },
    actingUnitId: a.acting.id,
    actingUnit: {
      id: a.acting.id,
      name: a.acting.name,
      kind: a.acting.kind,
      level: a.acting.level,
      parentId: a.acting.parentId,
    },
  };
}

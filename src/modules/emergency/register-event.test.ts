/** 登记事件's decision, without a database: what a registration owes, to whom, by when, and its timers. */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../floor/context.js';
import { deadlineSteps, deadlineTimers } from '../timeliness/deadlines.js';
import { DEFAULT_TIMELINESS } from '../timeliness/rules.js';
import type { LoadedUnit, RegistrationLoad } from './emergency.repo.js';
import { DEFAULT_MUST_REPORT } from './must-report.js';
import { decideRegistration, type RegistrationRules } from './register-event.js';
import { DEFAULT_RESPONSIBLE_DEPARTMENTS } from './responsible-departments.js';

const unit = (id: string, kind: string, level: string | null, parent: LoadedUnit | null): LoadedUnit => ({
  id,
  name: id,
  kind,
  level,
  parent_id: parent?.id ?? null,
  path: [...(parent?.path ?? []), id],
});
const prov = unit('prov', 'area', 'province', null);
const city = unit('city', 'area', 'city', prov);
const county = unit('county', 'area', 'county', city);
const town = unit('town', 'area', 'township', county);
const townOffice = unit('town-office', 'party_office', null, town);
const otherTown = unit('other-town', 'area', 'township', county);

const actor = (acting: LoadedUnit, own = acting): Actor => ({
  id: 'user-1',
  username: 'xxy',
  name: '李晓梅',
  unitId: own.id,
  roles: ['reporter'],
  unit: {
    id: own.id,
    name: own.name,
    kind: own.kind,
    level: own.level,
    parentId: own.parent_id,
    path: own.path,
  },
  acting: {
    id: acting.id,
    name: acting.name,
    kind: acting.kind,
    level: acting.level,
    parentId: acting.parent_id,
    path: acting.path,
  },
});

const rules: RegistrationRules = {
  mustReport: { version: 1, body: DEFAULT_MUST_REPORT },
  timeliness: { version: 1, body: DEFAULT_TIMELINESS },
  responsibleDepartments: DEFAULT_RESPONSIBLE_DEPARTMENTS,
};
const load = (
  pathUnits: LoadedUnit[],
  departments: RegistrationLoad['departments'] = [],
): RegistrationLoad => ({
  categoryExists: true,
  versions: { must_report: 1, timeliness: 1, responsible_departments: 1 },
  pathUnits,
  departments,
});

const NOW = new Date('2026-11-23T14:00:00Z'); // 22:00 Beijing time
const occurredAt = new Date(NOW.getTime() - 10 * 60_000);
let n = 0;
const newId = () => `id-${++n}`;
const input = (over: Record<string, unknown> = {}) => ({
  title: '化工仓库起火',
  categoryCode: '12G00',
  level: 'III' as const,
  occurredAt: occurredAt.toISOString(),
  place: { address: '工业园 3 号仓库' },
  ...over,
});
const minutes = (d: Date | null) => (d ? (d.getTime() - NOW.getTime()) / 60_000 : null);

describe('deciding a registration', () => {
  it('a Ⅲ event registered by a township office owes its township and county deadlines, counted from occurrence', () => {
    const d = decideRegistration({
      actor: actor(town, townOffice),
      input: input(),
      now: NOW,
      occurredAt,
      load: load([prov, city, county, town]),
      rules,
      callerActing: null,
      eventId: 'ev',
      newId,
    });
    expect(d.responsible.id).toBe('town');
    expect(d.mustReport.required).toBe(true);
    expect(d.inverted).toEqual([]);
    expect(
      d.deadlines.map((x) => `${x.from_unit_id}>${x.to_unit_id} ${x.channel} due ${minutes(x.due_at)}`),
    ).toEqual([
      'town>county phone due 20',
      'town>county written due 20',
      'county>city phone due 50',
      'county>city written due 110',
    ]);
    // 漏报 a day after occurrence
    expect(d.deadlines.every((x) => minutes(x.missed_at) === 24 * 60 - 10)).toBe(true);
    expect(d.eventUnits).toEqual([
      { unitId: 'town', reason: 'responsible' },
      { unitId: 'town', reason: 'registrar' },
      { unitId: 'county', reason: 'chain' },
      { unitId: 'city', reason: 'chain' },
    ]);
    expect(d.timers.filter((x) => x.kind === 'event.key_items').map((x) => minutes(x.dueAt))).toEqual([
      24 * 60 - 10,
    ]);
  });

  it('an event of another township cannot be made the responsibility of the registrar’s township', () => {
    expect(() =>
      decideRegistration({
        actor: actor(town, townOffice),
        input: input({ responsibleUnitId: 'other-town' }),
        now: NOW,
        occurredAt,
        load: load([prov, city, county, otherTown]),
        rules,
        callerActing: null,
      }),
    ).toThrow(expect.objectContaining({ status: 403, code: 'responsible_unit_out_of_scope' }));
  });

  it('a responsible unit that does not exist is a 400', () => {
    expect(() =>
      decideRegistration({
        actor: actor(town, townOffice),
        input: input({ responsibleUnitId: 'nowhere' }),
        now: NOW,
        occurredAt,
        load: load([]),
        rules,
        callerActing: null,
      }),
    ).toThrow(expect.objectContaining({ status: 400, code: 'responsible_unit_not_found' }));
  });

  it('a work-safety accident concerns the work-safety department of the township’s area, not a disabled or foreign one', () => {
    const d = decideRegistration({
      actor: actor(town, townOffice),
      input: input({ categoryCode: '12A00' }),
      now: NOW,
      occurredAt,
      load: load(
        [prov, city, county, town],
        [
          { id: 'town-safety', parent_id: 'town', department_type: 'work_safety' },
          { id: 'county-safety', parent_id: 'county', department_type: 'work_safety' },
          { id: 'town-police', parent_id: 'town', department_type: 'police' },
        ],
      ),
      rules,
      callerActing: null,
    });
    expect(d.deptIds).toEqual(['town-safety']);
    expect(d.eventUnits).toContainEqual({ unitId: 'town-safety', reason: 'responsible_department' });
  });

  it('an ungraded event no rule makes must-report owes no deadline and gets only its key-items check', () => {
    const d = decideRegistration({
      actor: actor(town, townOffice),
      input: input({ level: null, categoryCode: '12H00' }),
      now: NOW,
      occurredAt,
      load: load([prov, city, county, town]),
      rules,
      callerActing: null,
    });
    expect(d.mustReport.required).toBe(false);
    expect(d.deadlines).toEqual([]);
    expect(d.timers.map((x) => x.kind)).toEqual(['event.key_items']);
  });
});

describe('the timers of a deadline', () => {
  const deadline = (over: Record<string, Date | null> = {}) => ({
    id: 'dl',
    base_at: new Date(NOW.getTime() - 10 * 60_000),
    due_at: new Date(NOW.getTime() + 20 * 60_000),
    missed_at: new Date(NOW.getTime() + 1430 * 60_000),
    met_at: null,
    ...over,
  });

  it('reminds at 50 % and 80 % of the limit, escalates at the limit and marks 漏报 at the missed line', () => {
    expect(
      deadlineSteps(deadline(), DEFAULT_TIMELINESS, NOW).map((t) => `${t.kind} ${minutes(t.dueAt)}`),
    ).toEqual(['deadline.remind 5', 'deadline.remind 14', 'deadline.overdue 20', 'deadline.missed 1430']);
    // written as one pending timer: the first step (each fired step schedules the next)
    expect(
      deadlineTimers(deadline(), DEFAULT_TIMELINESS, NOW).map((t) => `${t.kind} ${minutes(t.dueAt)}`),
    ).toEqual(['deadline.remind 5']);
  });

  it('a reminder already in the past is not scheduled', () => {
    const late = deadline({ base_at: new Date(NOW.getTime() - 60 * 60_000) });
    expect(deadlineSteps(late, DEFAULT_TIMELINESS, NOW).map((t) => t.kind)).toEqual([
      'deadline.remind',
      'deadline.overdue',
      'deadline.missed',
    ]);
  });

  it('a met deadline has no timers', () => {
    expect(deadlineTimers(deadline({ met_at: NOW }), DEFAULT_TIMELINESS, NOW)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { type ChainUnit, desiredDeadlines, invertedFlowUnits, reportingChain } from './chain.js';
import { DEFAULT_TIMELINESS } from './rules.js';
import { deadlineStatus } from './status.js';

// a tree: province > city > county > township (+ a county department, a township enterprise);
// a township directly under a city (东莞-style)
const u = (id: string, kind: string, level: string | null, parent: ChainUnit | null): ChainUnit => ({
  id,
  kind,
  level,
  parentId: parent?.id ?? null,
  path: [...(parent?.path ?? []), id],
});
const nation = u('nation', 'area', 'nation', null);
const prov = u('prov', 'area', 'province', nation);
const city = u('city', 'area', 'city', prov);
const county = u('county', 'area', 'county', city);
const town = u('town', 'area', 'township', county);
const dept = u('dept', 'department', null, county);
const ent = u('ent', 'enterprise', null, town);
const dgTown = u('dgtown', 'area', 'township', city);
const lonelyCity = u('lonely', 'area', 'city', null);
const all = new Map([nation, prov, city, county, town, dept, ent, dgTown, lonelyCity].map((x) => [x.id, x]));

const limits = (responsible: ChainUnit, level: string | null, category = '12H00') =>
  desiredDeadlines(reportingChain(responsible, all, DEFAULT_TIMELINESS, level, category)).map(
    (d) => `${d.fromUnitId}>${d.toUnitId} ${d.channel} ${d.limitMinutes}`,
  );

describe('the default time-limit table', () => {
  it('a township Ⅰ/Ⅱ event: phone 10 min, written 20 min to the county; the county 1 h / 2 h; the city 3 h; the province 6 h', () => {
    for (const level of ['I', 'II'])
      expect(limits(town, level)).toEqual([
        'town>county phone 10',
        'town>county written 20',
        'county>city phone 60',
        'county>city written 120',
        'city>prov written 180',
        'prov>nation written 360',
      ]);
  });

  it('a township Ⅲ event: 30/30 minutes, and it stops at the city', () => {
    expect(limits(town, 'III')).toEqual([
      'town>county phone 30',
      'town>county written 30',
      'county>city phone 60',
      'county>city written 120',
    ]);
  });

  it('a township Ⅳ or ungraded event: written within 1 h, no phone limit, stops at the city', () => {
    for (const level of ['IV', null])
      expect(limits(town, level)).toEqual([
        'town>county written 60',
        'county>city phone 60',
        'county>city written 120',
      ]);
  });

  it('a county department reports to its own area with the township row', () => {
    expect(limits(dept, 'II').slice(0, 2)).toEqual(['dept>county phone 10', 'dept>county written 20']);
  });

  it('an enterprise of a township reports to the township, which reports on to the county', () => {
    expect(limits(ent, 'IV')).toEqual([
      'ent>town written 60',
      'town>county written 60',
      'county>city phone 60',
      'county>city written 120',
    ]);
  });

  it('a township directly under a city reports to the city with the township row', () => {
    expect(limits(dgTown, 'III')).toEqual(['dgtown>city phone 30', 'dgtown>city written 30']);
  });

  it('a county event starts at the county row', () => {
    expect(limits(county, 'I')[0]).toBe('county>city phone 60');
  });

  it('the chain stops where the tree ends', () => {
    expect(limits(lonelyCity, 'I')).toEqual([]);
  });

  it('a category-keyed row wins over the generic row', () => {
    const rs = {
      ...DEFAULT_TIMELINESS,
      rows: [
        {
          key: 'acc',
          name: 'accidents',
          from: ['township'],
          levels: ['IV'],
          categories: ['12'],
          phoneMinutes: null,
          writtenMinutes: 45,
        },
        ...DEFAULT_TIMELINESS.rows,
      ],
    };
    const d = desiredDeadlines(reportingChain(town, all, rs, 'IV', '12H00'));
    expect(d[0]).toMatchObject({ limitMinutes: 45, ruleRow: 'acc' });
    const e = desiredDeadlines(reportingChain(town, all, rs, 'IV', '11B00'));
    expect(e[0]).toMatchObject({ limitMinutes: 60, ruleRow: 'lowest-ordinary' });
  });
});

describe('deadline status', () => {
  const occurred = new Date('2026-11-23T00:00:00Z');
  const due = new Date(occurred.getTime() + 60 * 60_000); // Ⅳ written 1 h
  const missedAt = new Date(occurred.getTime() + 24 * 3600_000);
  const at = (min: number) => new Date(occurred.getTime() + min * 60_000);

  it('pending before the limit, late after it, missed after 24 h', () => {
    expect(deadlineStatus({ dueAt: due, metAt: null, missedAt }, at(59))).toBe('pending');
    expect(deadlineStatus({ dueAt: due, metAt: null, missedAt }, at(60))).toBe('pending');
    expect(deadlineStatus({ dueAt: due, metAt: null, missedAt }, at(61))).toBe('late');
    expect(deadlineStatus({ dueAt: due, metAt: null, missedAt }, at(24 * 60 + 1))).toBe('missed');
  });

  it('a Ⅳ event reported 70 minutes after it happened is late', () => {
    expect(deadlineStatus({ dueAt: due, metAt: at(70), missedAt }, at(80))).toBe('late');
  });

  it('reported exactly at the limit is on time', () => {
    expect(deadlineStatus({ dueAt: due, metAt: at(60), missedAt }, at(80))).toBe('met');
  });

  it('reported more than 24 h after occurrence is missed', () => {
    expect(deadlineStatus({ dueAt: due, metAt: at(24 * 60 + 5), missedAt }, at(25 * 60))).toBe('missed');
  });
});

describe('inverted flow', () => {
  it('a city registering a township event flags the township and the county', () => {
    expect(invertedFlowUnits([town, county], city, new Set())).toEqual(['town', 'county']);
  });
  it('the county registering it from the township call flags nobody', () => {
    expect(invertedFlowUnits([town, county], county, new Set(['town']))).toEqual([]);
  });
  it('the responsible unit registering its own event flags nobody', () => {
    expect(invertedFlowUnits([town, county], town, new Set())).toEqual([]);
  });
  it('another department of the county knowing first flags the responsible department', () => {
    const police = u('police', 'department', null, county);
    expect(invertedFlowUnits([dept, county], police, new Set())).toEqual(['dept']);
  });
});

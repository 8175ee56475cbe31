import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { staffingProblems } from './staffing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

const byName = (items: any[], name: string) => items.find((i) => i.name === name);

describe('staffing rules', () => {
  it('pure: a township needs one full-time and one or two part-time officers', () => {
    expect(staffingProblems('township', { fullTime: 1, partTime: 2, officers: 3 })).toEqual([]);
    expect(
      staffingProblems('township', { fullTime: 0, partTime: 3, officers: 3 }).map((p) => p.code),
    ).toEqual(['township_full_time_missing', 'township_part_time_excess']);
    expect(staffingProblems('county_department', { fullTime: 0, partTime: 0, officers: 0 })[0].code).toBe(
      'department_officer_missing',
    );
  });

  it('finds the townships and county departments short of information officers', async () => {
    const r = await t.call('admin', 'GET', '/api/units/staffing');
    expect(r.status).toBe(200);
    // 城关街道: 李晓梅 full-time and 陈宇 part-time in its 党政办
    expect(byName(r.body.items, '城关街道')).toMatchObject({ fullTime: 1, partTime: 1, problems: [] });
    // 河西镇: one full-time, no part-time
    const hx = byName(r.body.items, '河西镇');
    expect(hx).toMatchObject({ rule: 'township', fullTime: 1, partTime: 0 });
    expect(hx.problems).toEqual([
      { code: 'township_part_time_missing', message: '兼职信息员不足：现有 0 名，应为 1–2 名' },
    ]);
    expect(byName(r.body.items, '石桥乡').problems.map((p: any) => p.code)).toEqual([
      'township_full_time_missing',
      'township_part_time_missing',
    ]);
    expect(byName(r.body.items, '东城区公安分局')).toMatchObject({
      rule: 'county_department',
      officers: 1,
      problems: [],
    });
    expect(byName(r.body.items, '东城区教育局').problems[0].code).toBe('department_officer_missing');
    // city-level offices are not checked
    expect(byName(r.body.items, '示例市委办公室')).toBeUndefined();
  });

  it('adding a part-time officer fixes 河西镇; a third one is too many; messages follow Accept-Language', async () => {
    const office = await t.unitId('河西镇党政办');
    for (const n of [1, 2, 3]) {
      const u = await t.call('admin', 'POST', '/api/users', {
        username: `hx_part${n}`,
        password: 'Jibao@2026',
        name: `兼职${n}`,
        unitId: office,
        roles: ['reporter'],
        officerType: 'part_time',
      });
      expect(u.status).toBe(201);
      const r = await t.call('dc_zyfzr', 'GET', '/api/units/staffing');
      expect(byName(r.body.items, '河西镇')).toBeUndefined(); // outside 东城区
      const all = await t.call('admin', 'GET', '/api/units/staffing', undefined, { 'accept-language': 'en' });
      const hx = byName(all.body.items, '河西镇');
      expect(hx.partTime).toBe(n);
      if (n < 3) expect(hx.problems).toEqual([]);
      else
        expect(hx.problems).toEqual([
          {
            code: 'township_part_time_excess',
            message: 'Too many part-time information officers: 3, 1–2 expected',
          },
        ]);
    }
    const only = await t.call('admin', 'GET', '/api/units/staffing?onlyProblems=1');
    expect(only.body.items.every((i: any) => i.problems.length > 0)).toBe(true);
    expect(only.body.summary.withProblems).toBe(only.body.items.length);
  });
});

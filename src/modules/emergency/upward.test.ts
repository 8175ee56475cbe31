import { describe, expect, it } from 'vitest';
import { composeUpward, upwardContact } from './upward.js';

const src = (
  reportId: string,
  unitId: string,
  minute: number,
  elements: Record<string, unknown>,
  pending = {},
) => ({
  reportId,
  unitId,
  unitName: unitId,
  kind: 'initial',
  at: new Date(Date.UTC(2026, 10, 23, 2, minute)),
  elements,
  pendingElements: pending,
});

describe('composeUpward (转报上级 merge)', () => {
  it('a unit’s later report supersedes its own earlier one without a conflict', () => {
    const c = composeUpward(
      [src('b', 'town', 5, { loss: '约 30 万元' }), src('a', 'town', 1, { loss: '正在核实', place: '仓库' })],
      'county',
    );
    expect(c.elements).toEqual({ loss: '约 30 万元', place: '仓库', contact: 'county' });
    expect(c.conflicts).toEqual({});
    expect(c.takenFrom).toEqual({ loss: 'b', place: 'a' });
  });

  it('casualties reported differently by two units are listed side by side and never summed', () => {
    const c = composeUpward(
      [
        src('t', 'town', 1, { casualties: { dead: 1, lightlyInjured: 2 } }),
        src('p', 'police', 3, { casualties: { dead: 2, lightlyInjured: 0 } }),
      ],
      'x',
    );
    expect(c.elements.casualties).toEqual({ dead: 2, lightlyInjured: 0 });
    expect(c.conflicts.casualties?.map((v) => v.reportId)).toEqual(['t', 'p']);
  });

  it('equal figures written differently are no conflict; the same time in two offsets is one time', () => {
    const c = composeUpward(
      [
        src('t', 'town', 1, { casualties: { dead: 0, missing: 0 }, occurredAt: '2026-11-23T01:50:00Z' }),
        src('p', 'police', 3, { casualties: {}, occurredAt: '2026-11-23T09:50:00+08:00' }),
      ],
      'x',
    );
    expect(c.conflicts).toEqual({});
    expect(c.elements.casualties).toEqual({ dead: 0, missing: 0 });
  });

  it('the contact is always the level’s own; an element no source has keeps the latest 待核实 reason', () => {
    const c = composeUpward(
      [src('t', 'town', 1, { contact: '李晓梅' }, { loss: '正在统计' })],
      '东城区委办公室 刘芳',
    );
    expect(c.elements.contact).toBe('东城区委办公室 刘芳');
    expect(c.pendingElements).toEqual({ loss: '正在统计' });
  });

  it('the contact line names the office’s duty phone and the person', () => {
    expect(
      upwardContact({ unitName: '东城区委办公室', dutyPhone: '0992-810000', userName: '刘芳', phone: null }),
    ).toBe('东城区委办公室 刘芳（值班电话 0992-810000）');
  });
});

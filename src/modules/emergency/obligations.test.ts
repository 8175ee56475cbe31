import { describe, expect, it } from 'vitest';
import { presentObligations } from './obligations.js';
import type { ObligationRow } from './obligations.repo.js';

const row = (over: Partial<ObligationRow>): ObligationRow => ({
  kind: 'deadline',
  event_id: 'e1',
  title: '火灾',
  level: 'IV',
  due_at: null,
  ref_id: 'r1',
  channel: 'written',
  to_unit_id: 'county',
  step: null,
  casualties: null,
  ...over,
});
const now = new Date('2026-11-23T12:00:00Z');
const at = (m: number) => new Date(now.getTime() + m * 60_000);

describe('presentObligations', () => {
  it('puts the overdue and earliest first and undated last', () => {
    const items = presentObligations(
      [
        row({ kind: 'countersign', ref_id: 'c', due_at: null }),
        row({ ref_id: 'w', due_at: at(30) }),
        row({ ref_id: 'p', channel: 'phone', due_at: at(-5) }),
      ],
      now,
    );
    expect(items.map((i) => i.refId)).toEqual(['p', 'w', 'c']);
    expect(items[0]).toMatchObject({ overdue: true, secondsLeft: -300, action: { verb: 'call' } });
    expect(items[1]).toMatchObject({ overdue: false, secondsLeft: 1800, action: { verb: 'report' } });
  });

  it('Ⅰ–Ⅲ events and events with casualties stand out; an ordinary Ⅳ without casualties does not', () => {
    const [a, b, c] = presentObligations(
      [
        row({ level: 'III', due_at: at(1) }),
        row({ level: 'IV', casualties: { dead: 0, lightlyInjured: 1 }, due_at: at(2) }),
        row({ level: 'IV', casualties: { dead: 0 }, due_at: at(3) }),
      ],
      now,
    );
    expect([a.prominent, b.prominent, c.prominent]).toEqual([true, true, false]);
  });
});

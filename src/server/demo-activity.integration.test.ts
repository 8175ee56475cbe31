import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../tests/helpers/app.js';
import { type DemoActivityResult, seedDemoActivity } from './demo-activity.js';

let t: TestApp;
let seeded: DemoActivityResult | null;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  seeded = await seedDemoActivity(t.tdb.db, t.clock.now());
}, 60_000);
afterAll(async () => t?.close());

describe('demo activity', () => {
  it('shows the product alive: one overdue event, one instruction awaiting feedback, one closed with its trace', async () => {
    expect(seeded).not.toBeNull();
    const { overdue, instructed, closed } = seeded!.events;
    // overdue: the township still owes its reports, past due by the clock
    const owed = (await t.call('cgz_xxy', 'GET', '/api/obligations')).body.items as any[];
    expect(owed.some((o) => o.eventId === overdue && o.overdue)).toBe(true);
    // the instruction waits for the township's feedback
    expect(owed.some((o) => o.eventId === instructed && o.kind === 'instruction')).toBe(true);
    // closed, with the steps of its trace
    const ev = (await t.call('dc_xxk', 'GET', `/api/events/${closed}`)).body;
    expect(ev.status).toBe('closed');
    const trace = (await t.call('dc_xxk', 'GET', `/api/events/${closed}/trace`)).body;
    expect(trace.steps.length).toBeGreaterThanOrEqual(4);
    // every unit of the chain reported it, by phone and in writing: nothing is owed on it any more
    expect(ev.deadlines.length).toBeGreaterThanOrEqual(2);
    expect(ev.deadlines.every((d: any) => d.status === 'met')).toBe(true);
    const county = (await t.call('dc_xxk', 'GET', '/api/obligations')).body.items as any[];
    expect(county.some((o) => o.eventId === closed)).toBe(false);
  });

  it('fills this month’s roster and confirms most units’ responsible persons; the log verifies', async () => {
    expect(seeded!.shifts).toBeGreaterThanOrEqual(28);
    expect(seeded!.confirmedUnits).toBeGreaterThan(10);
    expect((await t.call('admin', 'GET', '/api/audit/verify')).body.ok).toBe(true);
    // a second start changes nothing
    expect(await seedDemoActivity(t.tdb.db, t.clock.now())).toBeNull();
  });
});

/** What a reporting unit does on a typhoon night: register an event, draft the initial report, submit it. */
import { randomUUID } from 'node:crypto';
import { type Resp, request } from './http.js';
import type { Person } from './province.js';

export const CATEGORY = '11B01'; // 台风

export function eventBody(i: number, occurredAt = new Date(Date.now() - 10 * 60_000)) {
  return {
    title: `台风“海燕”致第${i}处房屋受损`,
    categoryCode: CATEGORY,
    level: 'IV',
    occurredAt: occurredAt.toISOString(),
    place: { address: `第${i}村委会附近` },
    source: 'self',
    summary: '强风导致民房屋顶受损，已转移群众。',
  };
}

export function initialBody(occurredAt: string, kind: 'initial' | 'followup' = 'initial') {
  const all = {
    occurredAt,
    place: '村委会附近',
    cause: '台风登陆，阵风12级',
    scope: '3户民房屋顶受损',
    casualties: { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 1, trapped: 0 },
    loss: '约5万元',
    measures: '已转移群众12人，电力抢修中',
    nextSteps: '继续巡查，排查危房',
    contact: '张三 13800000000',
  };
  return kind === 'initial'
    ? { kind, elements: all, fastTrack: true }
    : { kind, elements: { scope: '又有2户受损', measures: '抢修队已到场' }, fastTrack: true };
}

export type Step = { name: 'event' | 'report' | 'submit'; ms: number; status: number };

function check(r: Resp, want: number, what: string) {
  if (r.status !== want) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
}

/** POST /api/events, POST /api/events/{id}/reports (draft), optionally POST /api/reports/{id}/submit. */
export async function createEventAndDraft(base: string, p: Person, i: number, steps?: Step[]) {
  const ev = await request(base, 'POST', '/api/events', {
    token: p.token,
    body: eventBody(i),
    headers: { 'idempotency-key': randomUUID() },
  });
  steps?.push({ name: 'event', ms: ev.ms, status: ev.status });
  check(ev, 201, 'create event');
  const rep = await request(base, 'POST', `/api/events/${ev.body.id}/reports`, {
    token: p.token,
    body: initialBody(ev.body.occurredAt),
    headers: { 'idempotency-key': randomUUID() },
  });
  steps?.push({ name: 'report', ms: rep.ms, status: rep.status });
  check(rep, 201, 'create report');
  return { eventId: ev.body.id as string, reportId: rep.body.id as string };
}

export async function submit(base: string, p: Person, reportId: string, steps?: Step[]) {
  const r = await request(base, 'POST', `/api/reports/${reportId}/submit`, {
    token: p.token,
    body: {},
    headers: { 'idempotency-key': randomUUID() },
  });
  steps?.push({ name: 'submit', ms: r.ms, status: r.status });
  check(r, 200, 'submit');
  if (r.body.status !== 'sent') throw new Error(`submit: status ${r.body.status}`);
  return r;
}

/** Run `fn` for items with at most `n` at a time. */
export async function pool<T>(items: T[], n: number, fn: (x: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        await fn(items[i], i);
      }
    }),
  );
}

import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.js';
import { EARLIEST_EVENT_TIME } from './floor.schema.js';
import { registerMessages } from './i18n.js';

/**
 * Times at which something happened — `occurredAt` (事发), `learnedAt` (获知), `calledAt` (来电) — come from
 * people and other systems. They are never before 1949-10-01 and never more than a few minutes ahead of our
 * clock (other systems' clocks may run a little fast); a time learned lies between the occurrence and now.
 * "Now" is the injected clock (`ctx.clock`), so tests that move time see the same rule.
 */
export const FUTURE_SKEW_MS = 5 * 60_000;

registerMessages(
  {
    'error.time_too_early': '{field} 不能早于 1949-10-01。',
    'error.time_in_future': '{field} 不能晚于现在（最多允许超前 5 分钟）。',
  },
  {
    'error.time_too_early': '{field} cannot be before 1949-10-01.',
    'error.time_in_future': '{field} cannot be in the future (at most 5 minutes ahead).',
  },
);

const parse = (v: unknown): Date | null => {
  if (typeof v !== 'string' && !(v instanceof Date)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** One time at which something happened: not before 1949-10-01, not more than 5 minutes ahead of `now`. */
export function checkHappenedAt(now: Date, field: string, at: Date): void {
  if (at.getTime() < EARLIEST_EVENT_TIME.getTime()) throw badRequest('time_too_early', { field });
  if (at.getTime() > now.getTime() + FUTURE_SKEW_MS)
    throw field === 'occurredAt'
      ? badRequest('occurred_in_future', { field })
      : badRequest('time_in_future', { field });
}

/**
 * The times of one submission: `occurredAt`, `learnedAt` and `calledAt` at the top level and
 * `elements.occurredAt` of a report; `learnedAt` not before `occurredAt` when both are given.
 */
export function checkHappenedTimes(now: Date, body: unknown): void {
  if (!body || typeof body !== 'object') return;
  const b = body as Record<string, unknown>;
  const occurredAt = parse(b.occurredAt);
  const learnedAt = parse(b.learnedAt);
  const calledAt = parse(b.calledAt);
  if (occurredAt) checkHappenedAt(now, 'occurredAt', occurredAt);
  if (learnedAt) checkHappenedAt(now, 'learnedAt', learnedAt);
  if (calledAt) checkHappenedAt(now, 'calledAt', calledAt);
  if (occurredAt && learnedAt && learnedAt < occurredAt) throw badRequest('learned_before_occurred');
  const elements = b.elements as Record<string, unknown> | undefined;
  const elementTime = elements && typeof elements === 'object' ? parse(elements.occurredAt) : null;
  if (elementTime) checkHappenedAt(now, 'elements.occurredAt', elementTime);
}

/**
 * Apply `checkHappenedTimes` to every API write after validation, with the request's clock: one rule for
 * events, reports, phone calls and whatever else records when something happened.
 */
export function registerHappenedTimeChecks(app: FastifyInstance): void {
  app.addHook('preHandler', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || !(req.routeOptions.url ?? '').startsWith('/api/'))
      return;
    if (!req.baseCtx?.clock) return;
    checkHappenedTimes(req.baseCtx.clock.now(), req.body);
  });
}

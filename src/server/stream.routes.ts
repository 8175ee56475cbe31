import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../floor/context.js';
import { isOfficeKind } from '../floor/context.js';
import type { App } from '../floor/http.js';
import { intakeAudience, unitAudience, userAudience } from '../floor/outbox.js';
import { definePolicy } from '../floor/policy.js';
import type { OutboxRow } from './sse-hub.js';

/** Live messages: every signed-in person listens to their own audiences (chosen by `audiencesOf`). */
export const streamPolicy = definePolicy('stream', { listen: { roles: 'signed-in' } });

/** What a person's live stream carries: their own messages, their unit's, and their area's intake. */
export function audiencesOf(a: Actor): string[] {
  const out = [userAudience(a.id), unitAudience(a.acting.id)];
  if (a.unit.id !== a.acting.id) out.push(unitAudience(a.unit.id));
  if (isOfficeKind(a.unit.kind) || a.unit.kind === 'area') out.push(intakeAudience(a.acting.id));
  return out;
}

export function registerStreamRoutes(app: App): void {
  // a stream ends when its session expires: judged by the app's clock
  app.deps.hub.useClock(app.deps.clock);
  app.get(
    '/api/stream',
    {
      config: { policy: streamPolicy.ref('listen') },
      schema: {
        tags: ['stream'],
        summary: '实时消息（SSE） / live messages (Server-Sent Events)',
        querystring: z.object({ lastEventId: z.string().regex(/^\d+$/).optional() }),
      },
    },
    async (req, reply: FastifyReply) => {
      const actor = req.ctx.actor!;
      const audiences = audiencesOf(actor);
      const last = Number(req.headers['last-event-id'] ?? (req.query as any).lastEventId ?? 0) || 0;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 2000\n: connected\n\n`);
      const sent = new Set<number>();
      let maxSent = last;
      const write = (row: OutboxRow) => {
        if (sent.has(row.id) || row.id <= last) return;
        sent.add(row.id);
        if (row.id > maxSent) maxSent = row.id;
        res.write(`id: ${row.id}\nevent: ${row.type}\ndata: ${JSON.stringify(row.data)}\n\n`);
      };
      const buffered: OutboxRow[] = [];
      let caughtUp = false;
      const hub = app.deps.hub;
      // the session it was opened with: sign-out, disabling, a role or unit change, expiry end the stream
      const session = req.sessionTokenHash
        ? { userId: actor.id, tokenHash: req.sessionTokenHash, roles: [...actor.roles], unitId: actor.unitId }
        : undefined;
      const remove = hub.add({
        audiences: new Set(audiences),
        send: (row) => (caughtUp ? write(row) : buffered.push(row)),
        end: () => res.end(),
        session,
      });
      const ping = setInterval(() => res.write(`: ping\n\n`), 25_000);
      const close = () => {
        clearInterval(ping);
        remove();
      };
      req.raw.on('close', close);
      try {
        if (last > 0) for (const row of await hub.since(last, audiences)) write(row);
      } finally {
        caughtUp = true;
        for (const row of buffered) write(row);
      }
    },
  );
}

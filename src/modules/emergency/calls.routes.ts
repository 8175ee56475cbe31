import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import { requiredText } from '../../floor/floor.schema.js';
import type { App } from '../../floor/http.js';
import { idParam } from '../../floor/http.js';
import { callsPolicy, confirmCall, disputeCall } from './calls.js';
import { presentReportById } from './emergency.queries.js';

/** The report answer as far as a confirmation changes it (the rest of the report passes through). */
const callOut = z.looseObject({
  id: z.uuid(),
  eventId: z.uuid(),
  unitId: z.uuid(),
  kind: z.literal('phone'),
  direction: z.enum(['incoming', 'outgoing']).nullable(),
  toUnitId: z.uuid().nullable(),
  confirmation: z.enum(['pending', 'confirmed', 'disputed']).nullable(),
  confirmedBy: z.uuid().nullable(),
  disputeReason: z.string().nullable(),
  recordedLate: z.boolean(),
  version: z.number().int(),
});

/** 确认 / 有异议: the called area's offices answer a call its caller recorded (API contract "Outgoing calls"). */
export function registerCallRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/reports/:id/confirm',
    {
      config: { policy: callsPolicy.ref('confirm') },
      schema: {
        tags: ['reports'],
        summary: '确认来电（对方记录的去电）/ confirm a call recorded by its caller',
        params: idParam,
        response: { 200: callOut },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) =>
        presentReportById(ctx, await confirmCall(ctx, req.params.id)),
      ),
  );
  r.post(
    '/api/reports/:id/dispute',
    {
      config: { policy: callsPolicy.ref('dispute') },
      schema: {
        tags: ['reports'],
        summary: '对来电记录提出异议 / dispute a call recorded by its caller',
        params: idParam,
        body: z.object({ reason: requiredText(1000) }),
        response: { 200: callOut },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) =>
        presentReportById(ctx, await disputeCall(ctx, req.params.id, req.body)),
      ),
  );
}

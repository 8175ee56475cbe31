import { sql } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../floor/audit.js';
import { auditTrust } from '../../floor/checkpoints.js';
import { runCommand } from '../../floor/command.js';
import type { Ctx } from '../../floor/context.js';
import { badRequest, notFound } from '../../floor/errors.js';
import { requiredText } from '../../floor/floor.schema.js';
import type { App } from '../../floor/http.js';
import { idParam } from '../../floor/http.js';
import { registerMessages } from '../../floor/i18n.js';
import { authorize } from '../../floor/policy.js';
import { verifyAuditLog } from '../../floor/verify.js';
import { inScope, isGlobalAdmin } from '../auth/policy.js';
import { getVisibleEvent } from '../emergency/emergency.repo.js';
import { logEntryVisibleSql } from '../emergency/policy.js';
import { presentTraceSteps } from '../emergency/trail.js';
import { deadlineStatus } from '../timeliness/status.js';
import { listStreams } from './log.repo.js';
import { accountabilityPolicy } from './policy.js';

registerMessages(
  { 'error.unit_not_in_event': '该单位与此事件无关。' },
  { 'error.unit_not_in_event': 'This unit has nothing to do with the event.' },
);

const iso = z.iso.datetime({ offset: true });

async function unitNames(ctx: Ctx, ids: Array<string | null>) {
  const uniq = [...new Set(ids.filter((x): x is string => !!x))];
  if (!uniq.length) return new Map<string, string>();
  const r = await ctx.tx.execute<{ id: string; name: string }>(
    sql`select id, name from units where id in (${sql.join(
      uniq.map((x) => sql`${x}`),
      sql`, `,
    )})`,
  );
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

/** 责任倒查: every step with who held it and for how long, the limits missed and the responsibility chain. */
export async function traceBack(ctx: Ctx, eventId: string) {
  const ev = await getVisibleEvent(ctx, eventId);
  if (!ev) throw notFound();
  const log =
    await ctx.tx.execute<any>(sql`select l.at, l.action, l.unit_id, l.actor_id, l.entity_type, l.entity_id,
      l.data, u.name as user_name, u.unit_id as actor_unit_id, u.roles as actor_roles, au.kind as actor_unit_kind,
      au.parent_id as actor_unit_parent_id
    from audit_log l left join users u on u.id = l.actor_id left join units au on au.id = u.unit_id
    where l.stream = ${`event:${eventId}`} and ${logEntryVisibleSql(ctx.actor!, 'l')} order by l.at, l.seq`);
  const presented = presentTraceSteps(log.rows);
  const names = await unitNames(
    ctx,
    presented.flatMap((p) => [p.unitId, p.actorUnitId, p.toUnitId]),
  );
  let prev: Date = ev.occurred_at;
  const steps = log.rows.map((s, i) => {
    const at = new Date(s.at);
    const dwellSeconds = Math.max(0, Math.round((at.getTime() - prev.getTime()) / 1000));
    prev = at;
    const p = presented[i];
    return {
      action: s.action,
      unitId: p.unitId,
      unitName: p.unitId ? (names.get(p.unitId) ?? null) : null,
      userId: s.actor_id,
      userName: s.user_name,
      at,
      dwellSeconds,
      ...(p.toUnitId ? { toUnitId: p.toUnitId, toUnitName: names.get(p.toUnitId) ?? null } : {}),
      ...(p.actorUnitId
        ? { actorUnitId: p.actorUnitId, actorUnitName: names.get(p.actorUnitId) ?? null }
        : {}),
      ...(p.asRole ? { asRole: p.asRole } : {}),
      entityType: s.entity_type,
      entityId: s.entity_id,
    };
  });
  const now = ctx.clock.now();
  const dl =
    await ctx.tx.execute<any>(sql`select d.*, u.name as from_name from deadlines d join units u on u.id = d.from_unit_id
    where d.event_id = ${eventId} and d.superseded_at is null order by d.due_at`);
  const deadlines = [];
  for (const d of dl.rows) {
    const status = deadlineStatus({ dueAt: d.due_at, metAt: d.met_at, missedAt: d.missed_at }, now);
    // responsibility: the information officers and leader in charge first, then the principal
    const people =
      status === 'late' || status === 'missed'
        ? (
            await ctx.tx.execute<any>(sql`select u.id, u.name, u.roles from users u join units un on un.id = u.unit_id
              where (un.id = ${d.from_unit_id} or (un.parent_id = ${d.from_unit_id}
                and un.kind in ('party_office','gov_office','duty_room','confidential_bureau')))
                and u.roles && array['reporter','approver','principal']::text[] and not u.disabled`)
          ).rows
        : [];
    const tier = (r: string[]) => (r.includes('reporter') || r.includes('approver') ? 1 : 2);
    deadlines.push({
      fromUnitId: d.from_unit_id,
      fromUnitName: d.from_name,
      toUnitId: d.to_unit_id,
      channel: d.channel,
      dueAt: d.due_at,
      metAt: d.met_at,
      status,
      limitMinutes: d.limit_minutes,
      overdueSeconds:
        status === 'late' || status === 'missed'
          ? Math.round(((d.met_at ?? now).getTime() - new Date(d.due_at).getTime()) / 1000)
          : 0,
      responsible: people
        .map((p) => ({ userId: p.id, name: p.name, roles: p.roles, tier: tier(p.roles) }))
        .sort((a, b) => a.tier - b.tier),
      ruleSetVersion: d.rule_version,
    });
  }
  return { eventId, occurredAt: ev.occurred_at, steps, deadlines };
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx];
}

/** Per unit that owed deadlines in the period: judged deadlines, on time, late, missed, on-time rate. */
export async function timelinessStats(ctx: Ctx, f: { from?: string; to?: string; unitId?: string }) {
  const a = ctx.actor!;
  const scope = isGlobalAdmin(a) ? sql`true` : sql`u.path @> array[${a.acting.id}]::uuid[]`;
  const r =
    await ctx.tx.execute<any>(sql`select d.from_unit_id, u.name, d.due_at, d.met_at, d.missed_at, d.base_at,
      coalesce(mr.direction = 'outgoing' and mr.confirmation = 'pending', false) as unconfirmed
    from deadlines d join units u on u.id = d.from_unit_id
    left join reports mr on mr.id = d.met_by_report_id
    where d.superseded_at is null and d.due_at is not null and ${scope}
      ${f.from ? sql`and d.due_at >= ${f.from}` : sql``}
      ${f.to ? sql`and d.due_at < ${f.to}` : sql``}
      ${f.unitId ? sql`and u.path @> array[${f.unitId}]::uuid[]` : sql``}`);
  const now = ctx.clock.now();
  const by = new Map<
    string,
    {
      unitId: string;
      unitName: string;
      onTime: number;
      late: number;
      missed: number;
      pending: number;
      unconfirmedCalls: number;
      times: number[];
    }
  >();
  for (const d of r.rows) {
    const s = deadlineStatus({ dueAt: d.due_at, metAt: d.met_at, missedAt: d.missed_at }, now);
    const u = by.get(d.from_unit_id) ?? {
      unitId: d.from_unit_id,
      unitName: d.name,
      onTime: 0,
      late: 0,
      missed: 0,
      pending: 0,
      unconfirmedCalls: 0,
      times: [] as number[],
    };
    // met by an outgoing call its receiver has not confirmed (yet): met, but flagged
    if (d.unconfirmed) u.unconfirmedCalls++;
    if (s === 'met') u.onTime++;
    else if (s === 'late') u.late++;
    else if (s === 'missed') u.missed++;
    else u.pending++;
    if (d.met_at && d.base_at)
      u.times.push((new Date(d.met_at).getTime() - new Date(d.base_at).getTime()) / 1000);
    by.set(d.from_unit_id, u);
  }
  const units = [...by.values()]
    .map((u) => {
      const reports = u.onTime + u.late + u.missed;
      const times = u.times.sort((x, y) => x - y);
      return {
        unitId: u.unitId,
        unitName: u.unitName,
        reports,
        onTime: u.onTime,
        late: u.late,
        missed: u.missed,
        pending: u.pending,
        unconfirmedCalls: u.unconfirmedCalls,
        onTimeRate: reports ? u.onTime / reports : null,
        medianSecondsToReport: percentile(times, 0.5),
        p90SecondsToReport: percentile(times, 0.9),
        averageSecondsToReport: times.length ? times.reduce((s, x) => s + x, 0) / times.length : null,
      };
    })
    .filter((u) => u.reports > 0)
    .sort((x, y) => (x.onTimeRate ?? 0) - (y.onTimeRate ?? 0) || y.reports - x.reports);
  return { units };
}

export function registerAccountabilityRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/audit/verify',
    {
      config: { policy: accountabilityPolicy.ref('verifyLog') },
      schema: { tags: ['accountability'], summary: '校验登记簿哈希链 / verify the registration log' },
    },
    async (req) => {
      return verifyAuditLog(req.ctx);
    },
  );

  r.get(
    '/api/audit/streams',
    {
      config: { policy: accountabilityPolicy.ref('readStreams') },
      schema: {
        tags: ['accountability'],
        summary: '登记簿的流 / the registration log’s streams (auditor: all; admin: own subtree)',
        querystring: z.object({
          prefix: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({ stream: z.string(), entries: z.number(), lastSeq: z.number(), lastAt: z.string() }),
            ),
            nextCursor: z.null(),
          }),
        },
      },
    },
    async (req) => ({ items: await listStreams(req.ctx, req.ctx.actor!, req.query), nextCursor: null }),
  );

  r.get(
    '/api/audit/public-key',
    {
      config: { policy: accountabilityPolicy.ref('verifyLog') },
      schema: {
        tags: ['accountability'],
        summary: '登记簿检查点签名公钥（Ed25519）/ the public key auditors verify checkpoints with',
      },
    },
    async () => {
      const t = auditTrust();
      if (!t.publicPem) throw notFound();
      return { algorithm: 'ed25519', keyId: t.keyId, publicKey: t.publicPem };
    },
  );

  r.get(
    '/api/events/:id/trace',
    {
      config: { policy: accountabilityPolicy.ref('trace') },
      schema: { tags: ['accountability'], summary: '责任倒查 / back-tracing', params: idParam },
    },
    async (req) => traceBack(req.ctx, req.params.id),
  );

  r.get(
    '/api/stats/timeliness',
    {
      config: { policy: accountabilityPolicy.ref('readStats') },
      schema: {
        tags: ['accountability'],
        summary: '时效统计 / timeliness per unit',
        querystring: z.object({ from: iso.optional(), to: iso.optional(), unitId: z.uuid().optional() }),
      },
    },
    async (req) => timelinessStats(req.ctx, req.query),
  );

  r.get(
    '/api/audit/log',
    {
      config: { policy: accountabilityPolicy.ref('readLog') },
      schema: {
        tags: ['accountability'],
        summary: '登记簿 / the registration log (entries of an event, unit or person)',
        querystring: z.object({
          stream: z.string().max(200),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
          /** paging: entries with a sequence number below this one (the previous page's nextCursor) */
          before: z.coerce.number().int().min(1).optional(),
        }),
      },
    },
    async (req) => {
      const a = req.ctx.actor;
      const [kind, id] = req.query.stream.split(':');
      if (kind === 'event') {
        if (!id || !(await getVisibleEvent(req.ctx, id))) throw notFound();
      } else {
        // an admin reads the streams of units and people in their own subtree; the auditor reads every stream
        authorize(a, accountabilityPolicy, 'readStreams');
        if (!a.roles.includes('auditor') && !isGlobalAdmin(a)) {
          const owner = await streamOwnerPath(req.ctx, kind, id);
          if (!owner || !inScope(a, owner)) throw notFound();
        }
      }
      const rows =
        await req.ctx.tx.execute<any>(sql`select id, seq, at, actor_id as "actorId", unit_id as "unitId", action,
          entity_type as "entityType", entity_id as "entityId", data, prev_hash as "prevHash", hash
        from audit_log l where stream = ${req.query.stream} and ${logEntryVisibleSql(a, 'l')}
          ${req.query.before ? sql`and seq < ${req.query.before}` : sql``}
        order by seq desc limit ${(req.query.limit ?? 200) + 1}`);
      const limit = req.query.limit ?? 200;
      const items = rows.rows.slice(0, limit);
      const more = rows.rows.length > limit && items.length > 0;
      return { items, nextCursor: more ? String(items[items.length - 1].seq) : null };
    },
  );

  // 瞒报 / 谎报 findings recorded by an editor with a reason
  r.post(
    '/api/events/:id/findings',
    {
      config: { policy: accountabilityPolicy.ref('recordFinding') },
      schema: {
        tags: ['accountability'],
        summary: '记录瞒报、谎报、漏报认定 / record a finding',
        params: idParam,
        body: z.object({
          unitId: z.uuid(),
          kind: z.enum(['concealed', 'false', 'missed']),
          reason: requiredText(2000),
        }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 201, async (ctx) => {
        const ev = await getVisibleEvent(ctx, req.params.id);
        if (!ev) throw notFound();
        const related = await ctx.tx.execute(
          sql`select 1 from event_units where event_id = ${ev.id} and unit_id = ${req.body.unitId}`,
        );
        if (!related.rowCount) throw badRequest('unit_not_in_event');
        const row = (
          await ctx.tx.execute<any>(sql`insert into findings (event_id, unit_id, kind, reason, at, user_id)
            values (${ev.id}, ${req.body.unitId}, ${req.body.kind}, ${req.body.reason}, ${ctx.clock.now().toISOString()}, ${ctx.actor!.id})
            returning *`)
        ).rows[0];
        await audit(ctx, {
          stream: `event:${ev.id}`,
          action: 'finding_recorded',
          entityType: 'finding',
          entityId: row.id,
          unitId: req.body.unitId,
          data: { kind: row.kind, reason: row.reason },
        });
        return {
          id: row.id,
          eventId: ev.id,
          unitId: row.unit_id,
          kind: row.kind,
          reason: row.reason,
          at: row.at,
          userId: row.user_id,
        };
      }),
  );

  r.get(
    '/api/events/:id/findings',
    {
      config: { policy: accountabilityPolicy.ref('trace') },
      schema: { tags: ['accountability'], params: idParam },
    },
    async (req) => {
      if (!(await getVisibleEvent(req.ctx, req.params.id))) throw notFound();
      const rows =
        await req.ctx.tx.execute<any>(sql`select id, event_id as "eventId", unit_id as "unitId", kind, reason, at,
      user_id as "userId" from findings where event_id = ${req.params.id} order by at`);
      return { items: rows.rows, nextCursor: null };
    },
  );
}

/** The unit path that owns a unit, person or sign-in stream (null: not such a stream, or nothing owns it). */
async function streamOwnerPath(ctx: Ctx, kind: string, id: string | undefined): Promise<string[] | null> {
  if (!id) return null;
  const uuid = /^[0-9a-f-]{36}$/i.test(id);
  const r =
    kind === 'unit' && uuid
      ? await ctx.tx.execute<{ path: string[] }>(sql`select path from units where id = ${id}`)
      : kind === 'user' && uuid
        ? await ctx.tx.execute<{ path: string[] }>(
            sql`select u.path from users p join units u on u.id = p.unit_id where p.id = ${id}`,
          )
        : kind === 'login'
          ? await ctx.tx.execute<{ path: string[] }>(
              sql`select u.path from users p join units u on u.id = p.unit_id where p.username = ${id}`,
            )
          : null;
  return r?.rows[0]?.path ?? null;
}

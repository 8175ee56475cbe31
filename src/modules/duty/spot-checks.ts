import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { notFound } from '../../floor/errors.js';
import { publish, userAudience } from '../../floor/outbox.js';
import { authorize } from '../../floor/policy.js';
import { inScope, subtreeScope } from '../auth/policy.js';
import { notify } from '../notify/notify.js';
import { actingUnitIdOf } from '../units/acting.js';
import { DutyError, getSettings, iso, loadUnit } from './common.js';
import { shiftsAt } from './on-duty.js';
import { dutyPolicy } from './policy.js';

export function presentSpotCheck(s: any) {
  return {
    id: s.id as string,
    fromUnitId: s.from_unit_id as string,
    targetUnitId: s.target_unit_id as string,
    targetUnitName: (s.target_name ?? null) as string | null,
    startedBy: s.started_by as string,
    startedAt: iso(s.started_at)!,
    dueAt: iso(s.due_at)!,
    message: s.message as string,
    status: s.status as 'pending' | 'answered' | 'missed',
    answeredAt: iso(s.answered_at),
    answeredBy: (s.answered_by ?? null) as string | null,
    responseSeconds: (s.response_seconds ?? null) as number | null,
    notifiedUserIds: (s.notified_user_ids ?? []) as string[],
  };
}

/**
 * 查岗: a higher duty room checks a lower one. Whoever is on the target's roster now (else its duty staff)
 * gets an urgent notification and must answer in the app within the set time (default 3 minutes).
 */
export async function startSpotCheck(
  ctx: Ctx,
  b: { targetUnitId: string; message?: string; minutes?: number },
) {
  const a = ctx.actor!;
  authorize(a, dutyPolicy, 'startSpotCheck');
  const target = await loadUnit(ctx, b.targetUnitId);
  const targetActing = actingUnitIdOf({ id: target.id, kind: target.kind, parentId: target.parent_id });
  if (!inScope(a, target.path) || targetActing === a.acting.id)
    throw new DutyError(403, 'duty_spot_check_not_below');
  const settings = await getSettings(ctx, target.id);
  const minutes = b.minutes ?? settings.spotCheckMinutes;
  const now = ctx.clock.now();
  const dueAt = new Date(now.getTime() + minutes * 60_000);
  const shifts = await shiftsAt(ctx, [target.id], now);
  let recipients = shifts.flatMap((s) => [s.officerId, s.leaderId]).filter((x): x is string => !!x);
  if (!recipients.length) {
    const r = await ctx.tx.execute<{ id: string }>(sql`
      select id from users where unit_id = ${target.id} and not disabled
        and roles && array['duty_officer','duty_leader']::text[]`);
    recipients = r.rows.map((x) => x.id);
  }
  recipients = [...new Set(recipients)];
  const r = await ctx.tx.execute<any>(sql`
    insert into spot_checks (from_unit_id, target_unit_id, started_by, started_at, due_at, message, status,
                             shift_id, notified_user_ids)
    values (${a.acting.id}, ${target.id}, ${a.id}, ${now.toISOString()}, ${dueAt.toISOString()}, ${b.message ?? ''},
            'pending', ${shifts[0]?.shiftId ?? null}, ${`{${recipients.join(',')}}`}::uuid[])
    returning *`);
  const sc = r.rows[0];
  await audit(ctx, {
    stream: `duty:${target.id}`,
    action: 'spot_check_started',
    entityType: 'spot_check',
    entityId: sc.id,
    unitId: target.id,
    data: { fromUnitId: a.acting.id, dueAt: dueAt.toISOString(), minutes, recipients },
  });
  if (recipients.length)
    await notify(ctx, {
      userIds: recipients,
      kind: 'spot_check',
      title: `查岗：请在 ${minutes} 分钟内应答`,
      body: `${a.acting.name}值班室查岗${b.message ? `：${b.message}` : ''}。`,
      urgent: true,
      data: { spotCheckId: sc.id, targetUnitId: target.id, dueAt: dueAt.toISOString() },
      watchers: [a.id],
      dedupeKey: `spot_check:${sc.id}`,
    });
  return presentSpotCheck({ ...sc, target_name: target.name });
}

/** The lower duty officer answers. After the set time the check stays missed (the late answer is kept). */
export async function answerSpotCheck(ctx: Ctx, id: string) {
  const a = ctx.actor!;
  const r = await ctx.tx.execute<any>(sql`select * from spot_checks where id = ${id} for update`);
  const sc = r.rows[0];
  if (!sc) throw notFound();
  const target = await loadUnit(ctx, sc.target_unit_id);
  authorize(a, dutyPolicy, 'answerSpotCheck', { notified: sc.notified_user_ids ?? [], targetId: target.id });
  if (sc.answered_at) return presentSpotCheck({ ...sc, target_name: target.name });
  const now = ctx.clock.now();
  const seconds = Math.round((now.getTime() - new Date(sc.started_at).getTime()) / 1000);
  const inTime = sc.status === 'pending' && now <= new Date(sc.due_at);
  const u = await ctx.tx.execute<any>(sql`
    update spot_checks set answered_at = ${now.toISOString()}, answered_by = ${a.id}, response_seconds = ${seconds},
      status = ${inTime ? 'answered' : 'missed'},
      missed_at = ${inTime ? null : (iso(sc.missed_at) ?? now.toISOString())}
    where id = ${id} returning *`);
  // the notifications of this check are settled: no more escalation
  await ctx.tx.execute(sql`
    update notifications set acked_at = ${now.toISOString()}, read_at = coalesce(read_at, ${now.toISOString()}),
      ack_note = ${`${a.name} 已应答查岗`}
    where kind = 'spot_check' and acked_at is null and data->>'spotCheckId' = ${id}`);
  await audit(ctx, {
    stream: `duty:${target.id}`,
    action: inTime ? 'spot_check_answered' : 'spot_check_answered_late',
    entityType: 'spot_check',
    entityId: id,
    unitId: target.id,
    data: { seconds, dueAt: iso(sc.due_at) },
  });
  await publish(ctx, [userAudience(sc.started_by), userAudience(a.id)], 'spot_check.answered', {
    id,
    targetUnitId: target.id,
    answeredBy: a.id,
    answeredByName: a.name,
    seconds,
    inTime,
  });
  return presentSpotCheck({ ...u.rows[0], target_name: target.name });
}

/** The sweep (worker): checks past their time without an answer become missed, exactly once. */
export async function sweepSpotChecks(ctx: Ctx, limit = 50): Promise<number> {
  const now = ctx.clock.now();
  const r = await ctx.tx.execute<any>(sql`
    update spot_checks s set status = 'missed', missed_at = ${now.toISOString()}
    from units u
    where s.id in (select id from spot_checks where status = 'pending' and due_at <= ${now.toISOString()}
                   order by due_at limit ${limit} for update skip locked)
      and u.id = s.target_unit_id
    returning s.*, u.name as target_name`);
  for (const sc of r.rows) {
    await audit(ctx, {
      stream: `duty:${sc.target_unit_id}`,
      action: 'spot_check_missed',
      entityType: 'spot_check',
      entityId: sc.id,
      unitId: sc.target_unit_id,
      data: { dueAt: iso(sc.due_at), startedAt: iso(sc.started_at) },
    });
    await notify(ctx, {
      userIds: [sc.started_by],
      kind: 'spot_check.missed',
      title: `查岗未应答：${sc.target_name}`,
      body: `${sc.target_name} 未在规定时间内应答查岗。`,
      data: { spotCheckId: sc.id, targetUnitId: sc.target_unit_id },
    });
  }
  return r.rows.length;
}

export async function listSpotChecks(
  ctx: Ctx,
  f: { direction?: 'outgoing' | 'incoming'; from?: string; to?: string },
) {
  const a = ctx.actor!;
  const r = await ctx.tx.execute<any>(sql`
    select s.*, u.name as target_name from spot_checks s join units u on u.id = s.target_unit_id
    where ${
      f.direction === 'incoming'
        ? sql`(${a.id} = any(s.notified_user_ids) or s.target_unit_id = ${a.unitId})`
        : f.direction === 'outgoing'
          ? sql`s.from_unit_id = ${a.acting.id}`
          : sql`(${subtreeScope(a, 'u')} or ${a.id} = any(s.notified_user_ids))`
    }
      ${f.from ? sql`and s.started_at >= ${f.from}` : sql``}
      ${f.to ? sql`and s.started_at < ${f.to}` : sql``}
    order by s.started_at desc limit 500`);
  return r.rows.map(presentSpotCheck);
}

/** Counted per unit: how many checks, answered in time, missed, and how fast. */
export async function spotCheckStats(ctx: Ctx, f: { from?: string; to?: string }) {
  const r = await ctx.tx.execute<any>(sql`
    select s.target_unit_id, u.name,
      count(*)::int as total,
      count(*) filter (where s.status = 'answered')::int as answered,
      count(*) filter (where s.status = 'missed')::int as missed,
      count(*) filter (where s.status = 'pending')::int as pending,
      round(avg(s.response_seconds) filter (where s.status = 'answered'))::int as avg_seconds,
      max(s.response_seconds) filter (where s.status = 'answered')::int as max_seconds
    from spot_checks s join units u on u.id = s.target_unit_id
    where ${subtreeScope(ctx.actor!, 'u')}
      ${f.from ? sql`and s.started_at >= ${f.from}` : sql``}
      ${f.to ? sql`and s.started_at < ${f.to}` : sql``}
    group by s.target_unit_id, u.name order by missed desc, u.name`);
  return r.rows.map((x) => ({
    unitId: x.target_unit_id as string,
    name: x.name as string,
    total: x.total as number,
    answered: x.answered as number,
    missed: x.missed as number,
    pending: x.pending as number,
    answerRate: x.total - x.pending > 0 ? x.answered / (x.total - x.pending) : null,
    avgSeconds: (x.avg_seconds ?? null) as number | null,
    maxSeconds: (x.max_seconds ?? null) as number | null,
  }));
}

import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx, UserCtx } from '../../floor/context.js';
import { notFound } from '../../floor/errors.js';
import { authorize } from '../../floor/policy.js';
import { actingUnitIdOf } from '../units/acting.js';
import { scoringUnits } from './affairs.repo.js';
import { iso } from './common.js';
import { affairsPolicy } from './policy.js';
import { beijingYear } from './rules.js';
import './messages.js';

/**
 * 信息队伍建设: training and development records per information officer — 跟班培训, 轮训, 挂职, 外出调研, and the
 * level's important meetings attended and designated documents read (列席会议、阅读文件) — recorded by the section
 * for officers of its area; units of the area whose officers had none this year are listed.
 */
export const TRAINING_KINDS = [
  'shadowing',
  'rotation',
  'secondment',
  'field_research',
  'meeting',
  'reading',
] as const;
export type TrainingKind = (typeof TRAINING_KINDS)[number];

async function insertTraining(
  ctx: Ctx,
  t: {
    userId: string;
    unitId: string;
    kind: string;
    date: string;
    hours: number | null;
    organiser: string | null;
    note: string | null;
  },
) {
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`insert into affairs_trainings (user_id, unit_id, kind, on_date,
    hours, organiser, note, recorded_by, created_at) values (${t.userId}, ${t.unitId}, ${t.kind}, ${t.date}, ${t.hours},
    ${t.organiser}, ${t.note}, ${ctx.actor?.id ?? null}, ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0].id;
}

async function officer(ctx: Ctx, userId: string) {
  const r = await ctx.tx.execute<{
    id: string;
    name: string;
    unit_id: string;
    kind: string;
    parent_id: string | null;
    path: string[];
  }>(
    sql`select us.id, us.name, u.id as unit_id, u.kind, u.parent_id, u.path from users us join units u on u.id = us.unit_id
      where us.id = ${userId} and not us.disabled`,
  );
  return r.rows[0] ?? null;
}

export async function recordTraining(
  ctx: UserCtx,
  body: {
    userId: string;
    kind: TrainingKind;
    date: string;
    hours?: number | null;
    organiser?: string | null;
    note?: string | null;
  },
) {
  authorize(ctx.actor, affairsPolicy, 'setPriorities');
  const o = await officer(ctx, body.userId);
  // an officer outside the section's area does not exist for it
  if (!o || !o.path.includes(ctx.actor.acting.id)) throw notFound('officer_not_found');
  const unitId = actingUnitIdOf({ id: o.unit_id, kind: o.kind, parentId: o.parent_id });
  const id = await insertTraining(ctx, {
    userId: o.id,
    unitId,
    kind: body.kind,
    date: body.date,
    hours: body.hours ?? null,
    organiser: body.organiser || null,
    note: body.note || null,
  });
  await audit(ctx, {
    stream: `user:${o.id}`,
    action: 'training_recorded',
    entityType: 'affairs_training',
    entityId: id,
    unitId,
    data: { kind: body.kind, date: body.date, hours: body.hours ?? null, organiser: body.organiser ?? null },
  });
  return listTrainings(ctx, { year: Number(body.date.slice(0, 4)) });
}

export async function listTrainings(ctx: UserCtx, q: { year?: number }) {
  const year = q.year ?? beijingYear(ctx.clock.now());
  const units = await scoringUnits(ctx, ctx.actor);
  const ids = units.map((u) => u.id);
  const rows = ids.length
    ? (
        await ctx.tx.execute<{
          id: string;
          user_id: string;
          name: string;
          unit_id: string;
          kind: string;
          on_date: string;
          hours: string | null;
          organiser: string | null;
          note: string | null;
          created_at: Date;
        }>(sql`select t.id, t.user_id, us.name, t.unit_id, t.kind, to_char(t.on_date, 'YYYY-MM-DD') as on_date,
          t.hours::text as hours, t.organiser, t.note, t.created_at from affairs_trainings t join users us on us.id = t.user_id
          where t.unit_id in (${sql.join(
            ids.map((i) => sql`${i}`),
            sql`, `,
          )}) and extract(year from t.on_date) = ${year} order by t.on_date desc`)
      ).rows
    : [];
  const trained = new Set(rows.map((r) => r.unit_id));
  const names = new Map(units.map((u) => [u.id, u.name]));
  return {
    year,
    items: rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      name: r.name,
      unitId: r.unit_id,
      unitName: names.get(r.unit_id) ?? '',
      kind: r.kind as TrainingKind,
      date: r.on_date,
      hours: r.hours === null ? null : Number(r.hours),
      organiser: r.organiser,
      note: r.note,
      createdAt: iso(r.created_at)!,
    })),
    /** units of the area whose officers had no training or development record this year */
    untrainedUnits: units.filter((u) => !trained.has(u.id)).map((u) => ({ unitId: u.id, unitName: u.name })),
  };
}

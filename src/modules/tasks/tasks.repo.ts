import { type SQL, sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../floor/context.js';
import { subtreeScope } from '../auth/policy.js';

/** SQL of the supervised tasks (督查督办). Rules live in tasks.service.ts and schedule.ts. */

export type UnitLite = {
  id: string;
  name: string;
  kind: string;
  parent_id: string | null;
  path: string[];
};

export type TaskRow = {
  id: string;
  title: string;
  source: string;
  source_id: string | null;
  owner_unit_id: string;
  owner_name: string;
  owner_path: string[];
  issuer_unit_id: string;
  issuer_name: string;
  issuer_path: string[];
  issuer_user_id: string | null;
  issuer_user_name: string | null;
  leader_name: string | null;
  collection_id: string | null;
  issued_at: Date;
  due_at: Date;
  report_every_days: number | null;
  created_at: Date;
  completed_at: Date | null;
  last_progress_at: Date | null;
  progress_missed: boolean;
  overdue_escalated_at: Date | null;
};

export async function unitsByIds(ctx: Ctx, ids: string[]): Promise<Map<string, UnitLite>> {
  if (ids.length === 0) return new Map();
  const r = await ctx.tx.execute<UnitLite>(sql`select id, name, kind, parent_id, path from units
    where not disabled and id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`);
  return new Map(r.rows.map((u) => [u.id, u]));
}

export async function insertCollection(
  ctx: Ctx,
  c: {
    title: string;
    source: string;
    sourceId: string | null;
    issuerUnitId: string;
    issuerUserId: string | null;
    dueAt: Date;
  },
): Promise<string> {
  const r = await ctx.tx.execute<{ id: string }>(sql`insert into task_collections
    (title, source, source_id, issuer_unit_id, issuer_user_id, due_at, created_at)
    values (${c.title}, ${c.source}, ${c.sourceId}, ${c.issuerUnitId}, ${c.issuerUserId}, ${c.dueAt.toISOString()},
      ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0].id;
}

export interface NewTask {
  title: string;
  source: string;
  sourceId: string | null;
  ownerUnitId: string;
  issuerUnitId: string;
  issuerUserId: string | null;
  leaderName: string | null;
  collectionId: string | null;
  issuedAt: Date;
  dueAt: Date;
  reportEveryDays: number | null;
}

/** Several tasks in one statement; their ids in the order given. */
export async function insertTasks(ctx: Ctx, tasks: NewTask[]): Promise<string[]> {
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<{ id: string; ord: number }>(sql`
    with v (ord, title, source, source_id, owner_unit_id, issuer_unit_id, issuer_user_id, leader_name, collection_id,
            issued_at, due_at, report_every_days) as (values ${sql.join(
              tasks.map(
                (t, i) =>
                  sql`(${i}::int, ${t.title}, ${t.source}, ${t.sourceId}, ${t.ownerUnitId}::uuid, ${t.issuerUnitId}::uuid,
                    ${t.issuerUserId}::uuid, ${t.leaderName}, ${t.collectionId}::uuid, ${t.issuedAt.toISOString()}::timestamptz,
                    ${t.dueAt.toISOString()}::timestamptz, ${t.reportEveryDays}::int)`,
              ),
              sql`, `,
            )}),
    ins as (insert into tasks (title, source, source_id, owner_unit_id, issuer_unit_id, issuer_user_id, leader_name,
              collection_id, issued_at, due_at, report_every_days, created_at)
            select title, source, source_id, owner_unit_id, issuer_unit_id, issuer_user_id, leader_name, collection_id,
              issued_at, due_at, report_every_days, ${now}::timestamptz from v order by ord
            returning id, owner_unit_id)
    select ins.id, v.ord from ins join v on v.owner_unit_id = ins.owner_unit_id order by v.ord`);
  // owners are distinct within one statement (a collection addresses each unit once; a single task is one row)
  return r.rows.map((x) => x.id);
}

const TASK_SELECT = sql`select t.*, o.name as owner_name, o.path as owner_path, i.name as issuer_name,
  i.path as issuer_path, u.name as issuer_user_name
  from tasks t join units o on o.id = t.owner_unit_id join units i on i.id = t.issuer_unit_id
  left join users u on u.id = t.issuer_user_id`;

export async function loadTask(ctx: Ctx, id: string, lock = false): Promise<TaskRow | null> {
  const r = await ctx.tx.execute<TaskRow>(
    sql`${TASK_SELECT} where t.id = ${id} ${lock ? sql`for update of t` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function loadTasksByIds(ctx: Ctx, ids: string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  const r = await ctx.tx.execute<TaskRow>(
    sql`${TASK_SELECT} where t.id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )}) for update of t`,
  );
  return r.rows;
}

export interface TaskFilter {
  status?: 'open' | 'done' | 'overdue';
  ownerUnitId?: string;
  issuerUnitId?: string;
  collectionId?: string;
  source?: string;
  sourceId?: string;
}

/** Tasks the actor sees (owner in the actor's subtree), overdue first, then open by due time, then done. */
export async function listTaskRows(
  ctx: Ctx,
  actor: Actor,
  f: TaskFilter,
  limit: number,
  offset: number,
): Promise<TaskRow[]> {
  const now = ctx.clock.now().toISOString();
  const conds: SQL[] = [subtreeScope(actor, 'o')];
  if (f.ownerUnitId) conds.push(sql`t.owner_unit_id = ${f.ownerUnitId}`);
  if (f.issuerUnitId) conds.push(sql`t.issuer_unit_id = ${f.issuerUnitId}`);
  if (f.collectionId) conds.push(sql`t.collection_id = ${f.collectionId}`);
  if (f.source) conds.push(sql`t.source = ${f.source}`);
  if (f.sourceId) conds.push(sql`t.source_id = ${f.sourceId}`);
  if (f.status === 'done') conds.push(sql`t.completed_at is not null`);
  if (f.status === 'open') conds.push(sql`t.completed_at is null and t.due_at >= ${now}::timestamptz`);
  if (f.status === 'overdue') conds.push(sql`t.completed_at is null and t.due_at < ${now}::timestamptz`);
  const r = await ctx.tx.execute<TaskRow>(sql`${TASK_SELECT} where ${sql.join(conds, sql` and `)}
    order by case when t.completed_at is not null then 2 when t.due_at < ${now}::timestamptz then 0 else 1 end,
      case when t.completed_at is null then t.due_at end asc, t.completed_at desc, t.id
    limit ${limit} offset ${offset}`);
  return r.rows;
}

export type ProgressRow = {
  id: string;
  task_id: string;
  kind: string;
  at: Date;
  text: string;
  done: boolean;
  user_id: string | null;
  user_name: string | null;
  unit_id: string | null;
  unit_name: string | null;
};

export async function progressOf(ctx: Ctx, taskId: string): Promise<ProgressRow[]> {
  const r = await ctx.tx.execute<ProgressRow>(sql`select p.*, u.name as user_name, un.name as unit_name
    from task_progress p left join users u on u.id = p.user_id left join units un on un.id = p.unit_id
    where p.task_id = ${taskId} order by p.at, p.seq`);
  return r.rows;
}

export async function insertProgress(
  ctx: Ctx,
  p: {
    taskId: string;
    kind: 'progress' | 'reopen';
    text: string;
    done: boolean;
    userId: string;
    unitId: string;
  },
): Promise<void> {
  await ctx.tx.execute(sql`insert into task_progress (task_id, kind, at, user_id, unit_id, text, done)
    values (${p.taskId}, ${p.kind}, ${ctx.clock.now().toISOString()}, ${p.userId}, ${p.unitId}, ${p.text}, ${p.done})`);
}

export async function setTaskFields(
  ctx: Ctx,
  id: string,
  f: {
    completedAt?: Date | null;
    lastProgressAt?: Date;
    progressMissed?: boolean;
    overdueEscalatedAt?: Date | null;
  },
): Promise<void> {
  const sets: SQL[] = [];
  if (f.completedAt !== undefined) sets.push(sql`completed_at = ${f.completedAt?.toISOString() ?? null}`);
  if (f.lastProgressAt !== undefined) sets.push(sql`last_progress_at = ${f.lastProgressAt.toISOString()}`);
  if (f.progressMissed !== undefined) sets.push(sql`progress_missed = ${f.progressMissed}`);
  if (f.overdueEscalatedAt !== undefined)
    sets.push(sql`overdue_escalated_at = ${f.overdueEscalatedAt?.toISOString() ?? null}`);
  if (sets.length === 0) return;
  await ctx.tx.execute(sql`update tasks set ${sql.join(sets, sql`, `)} where id = ${id}`);
}

export type CollectionRow = {
  id: string;
  title: string;
  source: string;
  source_id: string | null;
  issuer_unit_id: string;
  issuer_name: string;
  issuer_path: string[];
  issuer_user_id: string | null;
  due_at: Date;
  created_at: Date;
};

const COLLECTION_SELECT = sql`select c.*, i.name as issuer_name, i.path as issuer_path
  from task_collections c join units i on i.id = c.issuer_unit_id`;

export async function loadCollection(ctx: Ctx, id: string): Promise<CollectionRow | null> {
  const r = await ctx.tx.execute<CollectionRow>(sql`${COLLECTION_SELECT} where c.id = ${id}`);
  return r.rows[0] ?? null;
}

/** The newest collection issued for a source (e.g. a campaign's 行动方案报送). */
export async function loadCollectionBySource(
  ctx: Ctx,
  source: string,
  sourceId: string,
): Promise<CollectionRow | null> {
  const r = await ctx.tx.execute<CollectionRow>(sql`${COLLECTION_SELECT}
    where c.source = ${source} and c.source_id = ${sourceId} order by c.created_at desc, c.id limit 1`);
  return r.rows[0] ?? null;
}

/** Collections issued by the actor's area or areas below it, newest first, with their counts. */
export async function listCollectionRows(
  ctx: Ctx,
  actor: Actor,
  limit: number,
  offset: number,
): Promise<(CollectionRow & { total: number; filed: number })[]> {
  const r = await ctx.tx.execute<CollectionRow & { total: number; filed: number }>(sql`
    select c.*, i.name as issuer_name, i.path as issuer_path,
      (select count(*)::int from tasks t where t.collection_id = c.id) as total,
      (select count(*)::int from tasks t where t.collection_id = c.id and t.completed_at is not null) as filed
    from task_collections c join units i on i.id = c.issuer_unit_id
    where ${subtreeScope(actor, 'i')} order by c.created_at desc, c.id limit ${limit} offset ${offset}`);
  return r.rows;
}

export async function collectionTaskRows(ctx: Ctx, collectionId: string): Promise<TaskRow[]> {
  const r = await ctx.tx.execute<TaskRow>(sql`${TASK_SELECT} where t.collection_id = ${collectionId}
    order by o.name, t.id`);
  return r.rows;
}

/** The tasks another module linked to its records (source + source ids), e.g. one per unit of an instruction. */
export async function linkedTaskRows(ctx: Ctx, source: string, sourceIds: string[]): Promise<TaskRow[]> {
  if (sourceIds.length === 0) return [];
  const r = await ctx.tx.execute<TaskRow>(
    sql`${TASK_SELECT} where t.source = ${source} and t.source_id in (${sql.join(
      sourceIds.map((i) => sql`${i}`),
      sql`, `,
    )}) order by t.created_at`,
  );
  return r.rows;
}

/** The open task a module linked to one record for one owner unit, locked for the change. */
export async function openLinkedTask(
  ctx: Ctx,
  source: string,
  sourceId: string,
  ownerUnitId: string,
): Promise<TaskRow | null> {
  const r = await ctx.tx.execute<TaskRow>(
    sql`${TASK_SELECT} where t.source = ${source} and t.source_id = ${sourceId} and t.owner_unit_id = ${ownerUnitId}
      and t.completed_at is null order by t.created_at limit 1 for update of t`,
  );
  return r.rows[0] ?? null;
}

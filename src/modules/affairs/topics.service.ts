import { audit } from '../../floor/audit.js';
import type { Actor, Ctx, UserCtx } from '../../floor/context.js';
import { badRequest, conflict, notFound, unprocessable } from '../../floor/errors.js';
import { authorize, can } from '../../floor/policy.js';
import { isGlobalAdmin } from '../auth/policy.js';
import { iso } from './common.js';
import './messages.js';
import { affairsPolicy } from './policy.js';
import { beijingYear } from './rules.js';
import {
  insertPriority,
  insertTopic,
  listTopicRows,
  loadTopic,
  prioritiesOf,
  setTopicFields,
  type TopicRow,
} from './topics.repo.js';

/**
 * 调研题目: units propose topics against one of the year's reporting priorities (报送要点) of the section they report
 * to; the section screens each (accept, merge into another, decline — a reason for the last two), orders the
 * accepted ones into a schedule, and commissions pieces from them. proposed → accepted | merged | declined →
 * scheduled → commissioned.
 */
export const TOPIC_STATUSES = [
  'proposed',
  'accepted',
  'merged',
  'declined',
  'scheduled',
  'commissioned',
] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const stream = (id: string) => `affairs_topic:${id}`;

function presentTopic(a: Actor, t: TopicRow) {
  return {
    id: t.id,
    title: t.title,
    summary: t.summary,
    priorityId: t.priority_id,
    priority: t.priority_title,
    unitId: t.unit_id,
    unitName: t.unit_name,
    sectionAreaId: t.section_area_id,
    status: t.status as (typeof TOPIC_STATUSES)[number],
    reason: t.reason,
    mergeIntoId: t.merge_into_id,
    scheduledFor: t.scheduled_for,
    scheduleOrder: t.schedule_order,
    createdAt: iso(t.created_at)!,
    screenedAt: iso(t.screened_at),
    can: { screen: can(a, affairsPolicy, 'screenTopic', { sectionAreaId: t.section_area_id }) },
  };
}

async function visibleTopic(ctx: UserCtx, id: string, lock = false) {
  const t = await loadTopic(ctx, id, lock);
  const a = ctx.actor;
  if (!t || !(isGlobalAdmin(a) || t.unit_path.includes(a.acting.id) || t.section_area_id === a.acting.id))
    throw notFound('topic_not_found');
  return t;
}

export async function getTopic(ctx: UserCtx, id: string) {
  return presentTopic(ctx.actor, await visibleTopic(ctx, id));
}

export async function listTopics(ctx: UserCtx, q: { status?: string }) {
  const rows = await listTopicRows(ctx, ctx.actor, q);
  return { items: rows.map((t) => presentTopic(ctx.actor, t)), nextCursor: null };
}

/** POST /api/affairs/priorities: the section publishes a reporting priority of a year. */
export async function createPriority(ctx: UserCtx, body: { title: string; year?: number }) {
  authorize(ctx.actor, affairsPolicy, 'setPriorities');
  const year = body.year ?? beijingYear(ctx.clock.now());
  const id = await insertPriority(ctx, { areaId: ctx.actor.acting.id, year, title: body.title });
  await audit(ctx, {
    stream: `affairs_priorities:${ctx.actor.acting.id}`,
    action: 'priority_published',
    entityType: 'affairs_priority',
    entityId: id,
    data: { title: body.title, year },
  });
  return { id, areaId: ctx.actor.acting.id, year, title: body.title };
}

/** The priorities a person proposes against (their receiving area's) and those their section published. */
export async function listPriorities(ctx: UserCtx, q: { year?: number }) {
  const a = ctx.actor;
  const areas = [a.acting.id, ...(a.acting.parentId ? [a.acting.parentId] : [])];
  const rows = await prioritiesOf(ctx, areas, q.year);
  return {
    items: rows.map((p) => ({ id: p.id, areaId: p.area_id, year: p.year, title: p.title })),
    nextCursor: null,
  };
}

/** POST /api/affairs/topics: proposed by the unit the caller acts for, to the section of its receiving area. */
export async function proposeTopic(
  ctx: UserCtx,
  body: { title: string; summary?: string | null; priority?: string | null },
) {
  const a = ctx.actor;
  const sectionAreaId = a.acting.parentId;
  if (!sectionAreaId) throw unprocessable('piece_no_receiving_area');
  let priorityId: string | null = null;
  if (body.priority) {
    const list = await prioritiesOf(ctx, [sectionAreaId]);
    const hit = list.find((p) =>
      UUID.test(body.priority!) ? p.id === body.priority!.toLowerCase() : p.title === body.priority,
    );
    if (!hit) throw unprocessable('unknown_priority', { priority: body.priority });
    priorityId = hit.id;
  }
  const id = await insertTopic(ctx, {
    title: body.title,
    summary: body.summary || null,
    priorityId,
    unitId: a.acting.id,
    sectionAreaId,
  });
  await audit(ctx, {
    stream: stream(id),
    action: 'topic_proposed',
    entityType: 'affairs_topic',
    entityId: id,
    data: { title: body.title, priorityId, sectionAreaId },
  });
  return getTopic(ctx, id);
}

/** POST /api/affairs/topics/{id}/screen: accept (optionally scheduled for a date), merge or decline with a reason. */
export async function screenTopic(
  ctx: UserCtx,
  id: string,
  body: {
    decision: 'accept' | 'merge' | 'decline';
    reason?: string | null;
    mergeIntoId?: string | null;
    scheduledFor?: string | null;
  },
) {
  const t = await visibleTopic(ctx, id, true);
  authorize(ctx.actor, affairsPolicy, 'screenTopic', { sectionAreaId: t.section_area_id });
  if (t.status !== 'proposed') throw conflict('topic_already_screened', { status: t.status });
  if (body.decision !== 'accept' && !body.reason) throw badRequest('topic_reason_required');
  if (body.decision === 'merge') {
    if (!body.mergeIntoId || body.mergeIntoId === id) throw badRequest('topic_merge_target_required');
    const into = await loadTopic(ctx, body.mergeIntoId);
    if (!into || into.section_area_id !== t.section_area_id)
      throw unprocessable('topic_merge_target_unknown');
  }
  const status =
    body.decision === 'accept'
      ? body.scheduledFor
        ? 'scheduled'
        : 'accepted'
      : body.decision === 'merge'
        ? 'merged'
        : 'declined';
  await setTopicFields(ctx, id, {
    status,
    reason: body.reason || null,
    mergeIntoId: body.decision === 'merge' ? body.mergeIntoId! : null,
    scheduledFor: body.decision === 'accept' ? (body.scheduledFor ?? null) : null,
    screened: true,
  });
  await audit(ctx, {
    stream: stream(id),
    action: `topic_${body.decision === 'accept' ? 'accepted' : body.decision === 'merge' ? 'merged' : 'declined'}`,
    entityType: 'affairs_topic',
    entityId: id,
    data: { ...body, status },
  });
  return getTopic(ctx, id);
}

/** POST /api/affairs/topics/schedule: the section orders its accepted topics (排出时间表，按照顺序依次约稿). */
export async function scheduleTopics(ctx: UserCtx, body: { topicIds: string[] }) {
  authorize(ctx.actor, affairsPolicy, 'setPriorities');
  const out = [];
  for (const [i, tid] of body.topicIds.entries()) {
    const t = await visibleTopic(ctx, tid, true);
    authorize(ctx.actor, affairsPolicy, 'screenTopic', { sectionAreaId: t.section_area_id });
    if (!['accepted', 'scheduled'].includes(t.status))
      throw conflict('topic_not_accepted', { status: t.status });
    await setTopicFields(ctx, tid, { status: 'scheduled', scheduleOrder: i + 1 });
    await audit(ctx, {
      stream: stream(tid),
      action: 'topic_scheduled',
      entityType: 'affairs_topic',
      entityId: tid,
      data: { order: i + 1 },
    });
    out.push(await getTopic(ctx, tid));
  }
  return { items: out, nextCursor: null };
}

/** A commission made from a topic: the topic must be accepted or scheduled in the commissioning section. */
export async function commissionTopic(ctx: Ctx, topicId: string, commissionId: string) {
  const t = await loadTopic(ctx, topicId, true);
  const a = ctx.actor!;
  if (!t || t.section_area_id !== a.acting.id) throw unprocessable('topic_unknown');
  if (!['accepted', 'scheduled', 'commissioned'].includes(t.status))
    throw conflict('topic_not_accepted', { status: t.status });
  if (t.status !== 'commissioned') await setTopicFields(ctx, topicId, { status: 'commissioned' });
  await audit(ctx, {
    stream: stream(topicId),
    action: 'topic_commissioned',
    entityType: 'affairs_topic',
    entityId: topicId,
    data: { commissionId },
  });
}

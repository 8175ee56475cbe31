import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import { type Ctx, OFFICE_KINDS } from '../../floor/context.js';
import { badRequest, notFound, unprocessable } from '../../floor/errors.js';
import { registerMessages, t } from '../../floor/i18n.js';
import { authorize, can } from '../../floor/policy.js';
import { subtreeScope, unitListScope } from '../auth/policy.js';
import { unitsPolicy } from './policy.js';
import type * as repo from './units.repo.js';

/**
 * 三级责任人: per unit the principal (主要负责人, 领导责任), the leader in charge (分管领导) and the office
 * director (办公室主任, 直接责任人). The list is confirmed periodically and whenever a person changes; an
 * unconfirmed, expired or incomplete list is a visible defect of the unit.
 */
export const RESPONSIBLE_TIERS = ['principal', 'leader_in_charge', 'office_director'] as const;
export type ResponsibleTier = (typeof RESPONSIBLE_TIERS)[number];

/** A confirmation holds this many days (SPEC §1: default every 90 days). */
export const RESPONSIBLE_CONFIRMATION_DAYS = 90;
const DAY_MS = 86_400_000;

/** Units that hold their own list: those that act for themselves (an office's list is its area's). */
export const RESPONSIBLE_UNIT_KINDS = ['area', 'department', 'emergency_office', 'enterprise'] as const;

registerMessages(
  {
    'tier.principal': '主要负责人（领导责任）',
    'tier.leader_in_charge': '分管领导',
    'tier.office_director': '办公室主任（直接责任人）',
    'error.responsible_duplicate_tier': '同一级责任人只能填一人：{tier}',
    'error.responsible_user_not_found': '关联的用户不存在。',
    'error.responsible_incomplete': '三级责任人未填齐，缺少：{missing}。填齐后才能确认。',
    'defect.responsible_missing': '三级责任人未填齐，缺少：{missing}',
    'defect.responsible_unconfirmed': '三级责任人名单未确认',
    'defect.responsible_expired':
      '三级责任人名单确认已过期（上次确认 {confirmedAt}，每 {days} 天须重新确认）',
    'defect.duty_phone_missing': '没有值班电话',
  },
  {
    'tier.principal': 'Principal (leadership responsibility)',
    'tier.leader_in_charge': 'Leader in charge',
    'tier.office_director': 'Office director (direct responsibility)',
    'error.responsible_duplicate_tier': 'Only one person per tier: {tier}',
    'error.responsible_user_not_found': 'The linked user does not exist.',
    'error.responsible_incomplete':
      'The responsible persons are incomplete; missing: {missing}. Fill them in first.',
    'defect.responsible_missing': 'Responsible persons incomplete; missing: {missing}',
    'defect.responsible_unconfirmed': 'Responsible persons not confirmed',
    'defect.responsible_expired':
      'Confirmation of the responsible persons expired (last confirmed {confirmedAt}; due every {days} days)',
    'defect.duty_phone_missing': 'No duty phone',
  },
);

export interface ResponsiblePersonInput {
  tier: ResponsibleTier;
  name: string;
  post?: string | null;
  phone?: string | null;
  userId?: string | null;
}

export type ConfirmationStatus = 'confirmed' | 'unconfirmed' | 'expired';

/** Whether a list confirmed at `confirmedAt` still counts at `now`. Pure. */
export function confirmationStatus(
  confirmedAt: Date | null,
  now: Date,
  days = RESPONSIBLE_CONFIRMATION_DAYS,
): { status: ConfirmationStatus; expiresAt: Date | null } {
  if (!confirmedAt) return { status: 'unconfirmed', expiresAt: null };
  const expiresAt = new Date(confirmedAt.getTime() + days * DAY_MS);
  return { status: now >= expiresAt ? 'expired' : 'confirmed', expiresAt };
}

export const missingTiers = (present: string[]) =>
  RESPONSIBLE_TIERS.filter((tier) => !present.includes(tier));

const beijingDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

async function visibleUnit(ctx: Ctx, id: string): Promise<repo.UnitRow> {
  const r = await ctx.tx.execute<repo.UnitRow>(
    sql`select u.* from units u where u.id = ${id} and ${unitListScope(ctx.actor!, 'u')}`,
  );
  if (!r.rows[0]) throw notFound();
  return r.rows[0];
}

async function loadPersons(ctx: Ctx, unitId: string) {
  const r = await ctx.tx.execute<any>(sql`
    select tier, name, post, phone, user_id, updated_at from responsible_persons where unit_id = ${unitId}`);
  const order = (tier: string) => RESPONSIBLE_TIERS.indexOf(tier as ResponsibleTier);
  return r.rows.sort((a, b) => order(a.tier) - order(b.tier));
}

function present(ctx: Ctx, unit: repo.UnitRow, persons: any[], confirmedAt: Date | null) {
  const { status, expiresAt } = confirmationStatus(confirmedAt, ctx.clock.now());
  return {
    unitId: unit.id,
    unitName: unit.name,
    persons: persons.map((p) => ({
      tier: p.tier as ResponsibleTier,
      tierName: t(ctx.lang, `tier.${p.tier}`),
      name: p.name as string,
      post: (p.post ?? null) as string | null,
      phone: (p.phone ?? null) as string | null,
      userId: (p.user_id ?? null) as string | null,
      updatedAt: new Date(p.updated_at).toISOString(),
    })),
    missingTiers: missingTiers(persons.map((p) => p.tier)),
    confirmedAt: confirmedAt ? new Date(confirmedAt).toISOString() : null,
    expiresAt: expiresAt ? expiresAt.toISOString() : null,
    status,
    confirmationDays: RESPONSIBLE_CONFIRMATION_DAYS,
    /** whether the caller may change and confirm the list (the buttons the web shows) */
    can: { keep: can(ctx.actor, unitsPolicy, 'keepResponsible', unit) },
  };
}

export async function getResponsiblePersons(ctx: Ctx, unitId: string) {
  const unit = await visibleUnit(ctx, unitId);
  return present(ctx, unit, await loadPersons(ctx, unitId), unit.responsible_confirmed_at);
}

const norm = (p: {
  tier: string;
  name: string;
  post?: string | null;
  phone?: string | null;
  userId?: string | null;
}) =>
  JSON.stringify([p.tier, p.name.trim(), p.post?.trim() || null, p.phone?.trim() || null, p.userId || null]);

/** Replace the unit's list. Any change clears the confirmation; an unchanged list keeps it. */
export async function setResponsiblePersons(ctx: Ctx, unitId: string, persons: ResponsiblePersonInput[]) {
  const unit = await visibleUnit(ctx, unitId);
  authorize(ctx.actor, unitsPolicy, 'keepResponsible', unit);
  const tiers = new Set<string>();
  for (const p of persons) {
    if (tiers.has(p.tier)) throw badRequest('responsible_duplicate_tier', { tier: p.tier });
    tiers.add(p.tier);
  }
  const userIds = persons.map((p) => p.userId).filter((x): x is string => !!x);
  if (userIds.length) {
    const r = await ctx.tx.execute(
      sql`select id from users where id in (${sql.join(
        userIds.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
    if (r.rows.length !== new Set(userIds).size) throw badRequest('responsible_user_not_found');
  }
  // lock the unit row: two editors of one list wait for each other
  await ctx.tx.execute(sql`select 1 from units where id = ${unitId} for update`);
  const before = await loadPersons(ctx, unitId);
  const beforeKeys = new Map(
    before.map((p) => [p.tier, norm({ ...p, userId: p.user_id })] as [string, string]),
  );
  const changed = before.length !== persons.length || persons.some((p) => beforeKeys.get(p.tier) !== norm(p));
  let confirmedAt: Date | null = unit.responsible_confirmed_at;
  if (changed) {
    const now = ctx.clock.now().toISOString();
    await ctx.tx.execute(sql`delete from responsible_persons where unit_id = ${unitId}
      ${
        persons.length
          ? sql`and tier not in (${sql.join(
              persons.map((p) => sql`${p.tier}`),
              sql`, `,
            )})`
          : sql``
      }`);
    for (const p of persons) {
      if (beforeKeys.get(p.tier) === norm(p)) continue;
      await ctx.tx.execute(sql`
        insert into responsible_persons (unit_id, tier, user_id, name, post, phone, updated_at)
        values (${unitId}, ${p.tier}, ${p.userId || null}, ${p.name.trim()}, ${p.post?.trim() || null},
          ${p.phone?.trim() || null}, ${now})
        on conflict (unit_id, tier) do update set user_id = excluded.user_id, name = excluded.name,
          post = excluded.post, phone = excluded.phone, updated_at = excluded.updated_at`);
    }
    await ctx.tx.execute(sql`update units set responsible_confirmed_at = null where id = ${unitId}`);
    confirmedAt = null;
    await audit(ctx, {
      stream: `unit:${unitId}`,
      action: 'responsible_persons_changed',
      entityType: 'unit',
      entityId: unitId,
      unitId,
      data: {
        before: before.map((p) => ({
          tier: p.tier,
          name: p.name,
          post: p.post,
          phone: p.phone,
          userId: p.user_id,
        })),
        after: persons.map((p) => ({
          tier: p.tier,
          name: p.name.trim(),
          post: p.post?.trim() || null,
          phone: p.phone?.trim() || null,
          userId: p.userId || null,
        })),
        confirmationCleared: !!unit.responsible_confirmed_at,
      },
    });
  }
  return present(ctx, unit, await loadPersons(ctx, unitId), confirmedAt);
}

/** Confirm the (complete) list as of now; it holds for RESPONSIBLE_CONFIRMATION_DAYS. */
export async function confirmResponsiblePersons(ctx: Ctx, unitId: string) {
  const unit = await visibleUnit(ctx, unitId);
  authorize(ctx.actor, unitsPolicy, 'keepResponsible', unit);
  await ctx.tx.execute(sql`select 1 from units where id = ${unitId} for update`);
  const persons = await loadPersons(ctx, unitId);
  const missing = missingTiers(persons.map((p) => p.tier));
  if (missing.length)
    throw unprocessable('responsible_incomplete', {
      missing: missing.map((m) => t(ctx.lang, `tier.${m}`)),
      missingTiers: missing,
    });
  const now = ctx.clock.now();
  await ctx.tx.execute(
    sql`update units set responsible_confirmed_at = ${now.toISOString()} where id = ${unitId}`,
  );
  await audit(ctx, {
    stream: `unit:${unitId}`,
    action: 'responsible_persons_confirmed',
    entityType: 'unit',
    entityId: unitId,
    unitId,
    data: { persons: persons.map((p) => ({ tier: p.tier, name: p.name })) },
  });
  return present(ctx, unit, persons, now);
}

// ---------------------------------------------------------------------------------------------------------
// Defects of the units in the caller's subtree

export type DefectCode =
  | 'responsible_missing'
  | 'responsible_unconfirmed'
  | 'responsible_expired'
  | 'duty_phone_missing';

/**
 * Units of the caller's subtree with a defect: a responsible-persons list that is incomplete, unconfirmed or
 * expired (units that act for themselves: areas, departments, emergency offices, enterprises), or no duty
 * phone (an area counts as reachable when it or one of its offices has one; a duty room needs its own).
 */
export async function listUnitDefects(
  ctx: Ctx,
  opts: { limit: number; cursor?: string | null; kind?: string },
) {
  const a = ctx.actor!;
  const now = ctx.clock.now();
  const expiredBefore = new Date(now.getTime() - RESPONSIBLE_CONFIRMATION_DAYS * DAY_MS).toISOString();
  const offset = Math.max(0, Number.parseInt(opts.cursor ?? '0', 10) || 0);
  const list = (xs: readonly string[]) => sql.raw(xs.map((k) => `'${k}'`).join(','));
  const r = await ctx.tx.execute<any>(sql`
    with checked as (
      select s.id, s.name, s.kind, s.level, s.parent_id, s.path, s.division_code, s.responsible_confirmed_at,
        s.kind in (${list(RESPONSIBLE_UNIT_KINDS)}) as keeps_list,
        coalesce((select array_agg(rp.tier) from responsible_persons rp where rp.unit_id = s.id), '{}') as tiers,
        case
          when s.kind = 'area' then coalesce(s.duty_phone, '') = '' and not exists (
            select 1 from units o where o.parent_id = s.id and o.kind in (${list(OFFICE_KINDS)}) and not o.disabled
              and coalesce(o.duty_phone, '') <> '')
          when s.kind in ('party_office', 'gov_office', 'confidential_bureau') then false
          else coalesce(s.duty_phone, '') = ''
        end as phone_missing
      from units s
      where ${subtreeScope(a, 's')} and not s.disabled and s.level is distinct from 'nation'
        ${opts.kind ? sql`and s.kind = ${opts.kind}` : sql``}
    )
    select *, count(*) over () as total from checked
    where phone_missing or (keeps_list and (
      not (tiers @> array[${list(RESPONSIBLE_TIERS)}]::text[])
      or responsible_confirmed_at is null or responsible_confirmed_at <= ${expiredBefore}))
    order by array_length(path, 1), division_code nulls last, kind, name, id
    limit ${opts.limit + 1} offset ${offset}`);
  const rows = r.rows.slice(0, opts.limit);
  const items = rows.map((u) => {
    const problems: Array<{ code: DefectCode; message: string }> = [];
    const add = (code: DefectCode, params: Record<string, string | number> = {}) =>
      problems.push({ code, message: t(ctx.lang, `defect.${code}`, params) });
    const confirmedAt: Date | null = u.responsible_confirmed_at ? new Date(u.responsible_confirmed_at) : null;
    const missing = u.keeps_list ? missingTiers(u.tiers) : [];
    const { status, expiresAt } = confirmationStatus(confirmedAt, now);
    if (u.keeps_list) {
      if (missing.length)
        add('responsible_missing', { missing: missing.map((m) => t(ctx.lang, `tier.${m}`)).join('、') });
      if (status === 'unconfirmed') add('responsible_unconfirmed');
      if (status === 'expired')
        add('responsible_expired', {
          confirmedAt: beijingDate(confirmedAt!),
          days: RESPONSIBLE_CONFIRMATION_DAYS,
        });
    }
    if (u.phone_missing) add('duty_phone_missing');
    return {
      unitId: u.id as string,
      name: u.name as string,
      kind: u.kind as string,
      level: (u.level ?? null) as string | null,
      parentId: (u.parent_id ?? null) as string | null,
      divisionCode: (u.division_code ?? null) as string | null,
      responsible: u.keeps_list
        ? {
            status,
            missingTiers: missing,
            confirmedAt: confirmedAt?.toISOString() ?? null,
            expiresAt: expiresAt?.toISOString() ?? null,
          }
        : null,
      dutyPhoneMissing: !!u.phone_missing,
      problems,
    };
  });
  const total = r.rows.length ? Number(r.rows[0].total) : 0;
  return {
    items,
    total,
    nextCursor: r.rows.length > opts.limit ? String(offset + opts.limit) : null,
  };
}

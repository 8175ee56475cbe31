import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { audit } from './audit.js';
import type { Ctx } from './context.js';
import { notFound } from './errors.js';
import { DEFAULT_SCORING } from './rule-sets.scoring.js';

export const RULE_KINDS = [
  'must_report',
  'timeliness',
  'responsible_departments',
  'deduction',
  'scoring',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const isRuleKind = (k: string): k is RuleKind => (RULE_KINDS as readonly string[]).includes(k);

const defaults = new Map<RuleKind, unknown>();

/** Modules declare the default body of their rule set; it is stored as version 1 on first start. */
export function registerDefaultRuleSet(kind: RuleKind, body: unknown): void {
  defaults.set(kind, body);
}

// 政务信息计分 (SPEC §7) lives here rather than in a module: every kind the API names has a default.
registerDefaultRuleSet('scoring', DEFAULT_SCORING);

/** The shipped default of a kind (undefined when no module registered one). */
export const defaultRuleSet = (kind: RuleKind): unknown => defaults.get(kind);

export async function seedRuleSets(db: Db, only?: RuleKind): Promise<void> {
  for (const [kind, body] of defaults) {
    if (only && kind !== only) continue;
    await db.execute(sql`insert into rule_sets (kind, version, body, note)
      values (${kind}, 1, ${JSON.stringify(body)}::jsonb, '默认规则 / shipped default') on conflict do nothing`);
  }
}

export interface RuleSet<T> {
  kind: RuleKind;
  version: number;
  body: T;
  createdAt: Date;
  note: string | null;
}

const cache = new Map<string, RuleSet<unknown>>();

/** A specific version (immutable, so cached). */
export async function getRuleSet<T>(db: Db, kind: RuleKind, version: number): Promise<RuleSet<T>> {
  const k = `${kind}:${version}`;
  const hit = cache.get(k);
  if (hit) return hit as RuleSet<T>;
  const r = await db.execute<any>(sql`select * from rule_sets where kind = ${kind} and version = ${version}`);
  if (!r.rows[0]) throw new Error(`rule set ${k} missing`);
  const rs = { kind, version, body: r.rows[0].body, createdAt: r.rows[0].created_at, note: r.rows[0].note };
  cache.set(k, rs);
  return rs as RuleSet<T>;
}

const latestVersion = async (db: Db, kind: RuleKind) =>
  (
    await db.execute<{ v: number | null }>(
      sql`select max(version)::int as v from rule_sets where kind = ${kind}`,
    )
  ).rows[0]?.v ?? null;

/**
 * The version in force now. A kind never saved gets its shipped default stored as version 1 — once: if
 * there is still nothing (no default for the kind), the answer is 404, never another try.
 */
export async function currentRuleSet<T>(db: Db, kind: RuleKind): Promise<RuleSet<T>> {
  let v = await latestVersion(db, kind);
  if (!v && defaults.has(kind)) {
    await seedRuleSets(db, kind);
    v = await latestVersion(db, kind);
  }
  if (!v) throw notFound('rule_set_missing', { kind });
  return getRuleSet<T>(db, kind, v);
}

export async function listRuleSetVersions(db: Db, kind: RuleKind) {
  const r = await db.execute<any>(
    sql`select r.version, r.note, r.created_at as "createdAt", r.created_by as "createdBy", u.name as "createdByName"
      from rule_sets r left join users u on u.id = r.created_by where r.kind = ${kind} order by r.version desc`,
  );
  return r.rows;
}

/** A new version (never an edit of an old one). */
export async function saveRuleSet(ctx: Ctx, kind: RuleKind, body: unknown, note: string | null) {
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rule_sets:${kind}`}))`);
  const r = await ctx.tx.execute<{ v: number }>(
    sql`select coalesce(max(version), 0)::int + 1 as v from rule_sets where kind = ${kind}`,
  );
  const version = r.rows[0].v;
  await ctx.tx.execute(sql`insert into rule_sets (kind, version, body, note, created_at, created_by)
    values (${kind}, ${version}, ${JSON.stringify(body)}::jsonb, ${note}, ${ctx.clock.now().toISOString()}, ${ctx.actor?.id ?? null})`);
  await audit(ctx, {
    stream: `rules:${kind}`,
    action: 'rule_set_saved',
    entityType: 'rule_set',
    entityId: `${kind}:${version}`,
    data: { kind, version, note, body: body as Record<string, unknown> },
  });
  return getRuleSet(ctx.tx, kind, version);
}

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { audit } from '../accountability/audit.js';
import type { Ctx } from './context.js';

export type RuleKind = 'must_report' | 'timeliness' | 'responsible_departments' | 'deduction' | 'scoring';

const defaults = new Map<RuleKind, unknown>();

/** Modules declare the default body of their rule set; it is stored as version 1 on first start. */
export function registerDefaultRuleSet(kind: RuleKind, body: unknown): void {
  defaults.set(kind, body);
}

export async function seedRuleSets(db: Db): Promise<void> {
  for (const [kind, body] of defaults) {
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

/** The version in force now. */
export async function currentRuleSet<T>(db: Db, kind: RuleKind): Promise<RuleSet<T>> {
  const r = await db.execute<{ v: number }>(
    sql`select max(version)::int as v from rule_sets where kind = ${kind}`,
  );
  const v = r.rows[0]?.v;
  if (!v) {
    await seedRuleSets(db);
    return currentRuleSet(db, kind);
  }
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

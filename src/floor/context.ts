import type { Db } from '../db/index.js';
import type { Clock } from './clock.js';
import type { Lang } from './i18n.js';

export type Role =
  | 'reporter'
  | 'approver'
  | 'principal'
  | 'duty_officer'
  | 'duty_leader'
  | 'editor'
  | 'leader'
  | 'admin'
  /** 审计管理员 (等保 三员分立): reads the registration log and its verification, changes nothing */
  | 'auditor';

export const ROLES: Role[] = [
  'reporter',
  'approver',
  'principal',
  'duty_officer',
  'duty_leader',
  'editor',
  'leader',
  'admin',
  'auditor',
];

export type UnitRef = {
  id: string;
  name: string;
  kind: string;
  level: string | null;
  parentId: string | null;
  path: string[];
};

/** Who is acting: the user, their unit, and the unit they act for (an office acts for its area). */
export interface Actor {
  id: string;
  username: string;
  name: string;
  unitId: string;
  roles: Role[];
  unit: UnitRef;
  acting: UnitRef;
}

/** One context object through every domain call: actor, transaction, clock, language. */
export interface Ctx {
  actor: Actor | null;
  tx: Db;
  clock: Clock;
  lang: Lang;
}

/** A signed-in person's context: the actor is never null (routes get this; workers use a system context). */
export interface UserCtx extends Ctx {
  actor: Actor;
}

export const OFFICE_KINDS = ['party_office', 'gov_office', 'duty_room', 'confidential_bureau'] as const;
export const isOfficeKind = (kind: string) => (OFFICE_KINDS as readonly string[]).includes(kind);

export function hasRole(actor: Actor | null, ...roles: Role[]): boolean {
  return !!actor && roles.some((r) => actor.roles.includes(r));
}

/** The context of background work (sweepers, workers): no person acts; the clock is the instance's. */
export function systemCtx(deps: { db: Db; clock: Clock }, lang: Lang = 'zh-CN'): Ctx {
  return { actor: null, tx: deps.db, clock: deps.clock, lang };
}

/** Run `fn` inside one transaction (or the caller's, if already in one). */
export async function inTx<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if ((ctx as any).__inTx) return fn(ctx);
  const after: AfterCommit[] = [];
  const result = await ctx.tx.transaction(async (tx) =>
    fn({ ...ctx, tx: tx as unknown as Db, __inTx: true, __afterCommit: after } as Ctx),
  );
  await runAfterCommit(after, ctx.tx);
  return result;
}

/** Work that must wait until the caller's transaction has committed (e.g. signals to other instances). */
export type AfterCommit = (db: Db) => unknown;

/**
 * Run `fn` once the caller's transaction has committed, with the database outside any transaction; at once
 * when the caller is not inside `inTx` (its statements have committed already). Failures are swallowed: what
 * runs here must have a fallback (e.g. a short cache lifetime for a lost signal).
 */
export async function afterCommit(ctx: Ctx, fn: AfterCommit): Promise<void> {
  const pending = (ctx as any).__afterCommit as AfterCommit[] | undefined;
  if (pending) pending.push(fn);
  else await runAfterCommit([fn], ctx.tx);
}

async function runAfterCommit(fns: AfterCommit[], db: Db): Promise<void> {
  for (const f of fns) {
    try {
      await f(db);
    } catch {
      /* see afterCommit */
    }
  }
}

import type { Db } from '../../db/index.js';
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

export const OFFICE_KINDS = ['party_office', 'gov_office', 'duty_room', 'confidential_bureau'] as const;
export const isOfficeKind = (kind: string) => (OFFICE_KINDS as readonly string[]).includes(kind);

export function hasRole(actor: Actor | null, ...roles: Role[]): boolean {
  return !!actor && roles.some((r) => actor.roles.includes(r));
}

/** Run `fn` inside one transaction (or the caller's, if already in one). */
export async function inTx<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if ((ctx as any).__inTx) return fn(ctx);
  return ctx.tx.transaction(async (tx) => fn({ ...ctx, tx: tx as unknown as Db, __inTx: true } as Ctx));
}

import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole, type Role } from '../../floor/context.js';
import { forbidden } from '../../floor/errors.js';
import { definePolicy } from '../../floor/policy.js';

/**
 * Scope helpers every module's policy builds on. Visibility follows the tree: a unit sees its own records and
 * its subtree's; the root administrator sees everything. Who may do what is declared per module with
 * `definePolicy` (src/floor/policy.ts); these helpers are the rules over records and the SQL of lists.
 */
export const isGlobalAdmin = (a: Actor | null) =>
  !!a && a.roles.includes('admin') && a.acting.parentId === null;

/** Whether the actor's scope (the subtree of the unit it acts for) contains a unit with this path. */
export function inScope(a: Actor, unitPath: string[]): boolean {
  return isGlobalAdmin(a) || unitPath.includes(a.acting.id);
}

/** SQL condition: the unit aliased `alias` is visible to the actor in unit lists. */
export function unitListScope(a: Actor, alias = 'u'): SQL {
  if (isGlobalAdmin(a)) return sql`true`;
  const acting = a.acting.id;
  const ancestors = a.acting.path;
  const col = (c: string) => sql.raw(`${alias}.${c}`);
  // own subtree; the areas above (to know where reports go); the offices and departments of those areas
  return sql`(${col('path')} @> array[${acting}]::uuid[]
    or ${col('id')} = any(${sql.raw(`array[${ancestors.map((id) => `'${id}'`).join(',') || 'null'}]::uuid[]`)})
    or (${col('kind')} <> 'area' and ${col('parent_id')} = any(${sql.raw(`array[${ancestors.map((id) => `'${id}'`).join(',') || 'null'}]::uuid[]`)})))`;
}

/** SQL condition: the unit aliased `alias` lies in the actor's subtree (for records owned by units). */
export function subtreeScope(a: Actor, alias = 'u'): SQL {
  if (isGlobalAdmin(a)) return sql`true`;
  return sql`${sql.raw(`${alias}.path`)} @> array[${a.acting.id}]::uuid[]`;
}

/** One's own session and account: every signed-in person (sign-in itself is public). */
export const authPolicy = definePolicy('auth', {
  me: { roles: 'signed-in' },
  signOut: { roles: 'signed-in' },
  changePassword: { roles: 'signed-in' },
});

/** The emergency module's remaining role checks, until it declares its actions (use `authorize` elsewhere). */
export function requireRole(a: Actor | null, ...roles: Role[]): asserts a is Actor {
  if (!a || !hasRole(a, ...roles)) throw forbidden('forbidden', { requiredRoles: roles });
}

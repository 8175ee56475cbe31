import type { Actor, Role } from './context.js';
import { AppError, forbidden } from './errors.js';

/**
 * One policy: who may do what. Each module defines its table once with `definePolicy` — an action has the roles
 * that may attempt it at all (checked on the route, before the body is read or anything is loaded) and, where the
 * answer depends on the record, a rule over the loaded resource (its unit path, owner, status …). Routes declare
 * the action they perform (`config: { policy: tasksPolicy.ref('create') }`); a route under /api without a
 * declaration stops the server at start-up. Services ask the same table with `authorize`/`can`, and answers carry
 * `can: {…}` built with `canMany`, so the web never offers a button the API would refuse.
 *
 * Deny by default: an action without roles is open to every signed-in user only when it says so
 * (`roles: 'signed-in'`).
 */
export interface ActionRule<R = never> {
  /** Roles that may attempt the action; `'signed-in'`: any signed-in person (the rule or a scope decides). */
  roles: readonly Role[] | 'signed-in';
  /** The decision on the loaded resource; omitted: the role gate alone decides. */
  allow?: (actor: Actor, resource: R) => boolean;
  /**
   * How a refusal by `allow` (the role held, the record refused) is answered: by default 403 `forbidden`; 404 where
   * the record's existence must not leak; another code where the user needs to know why (`duty_not_on_shift`).
   * A missing role is always 403 `forbidden` with the roles the action needs.
   */
  deny?: { status?: 403 | 404; code?: string };
}

export type PolicyTable = Record<string, ActionRule<any>>;

export interface Policy<T extends PolicyTable> {
  readonly name: string;
  readonly actions: T;
  /** The route declaration of one action: `config: { policy: p.ref('create') }`. */
  ref(action: keyof T & string): string;
}

type ResourceOf<A> = A extends { allow: (...args: infer P) => boolean }
  ? P extends [unknown, infer R]
    ? R
    : undefined
  : undefined;
type ResourceArg<A> = [ResourceOf<A>] extends [undefined] ? [] : [ResourceOf<A>];

const registry = new Map<string, PolicyTable>();

export function definePolicy<T extends PolicyTable>(name: string, actions: T): Policy<T> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`policy name ${name}: lower case letters, digits, _`);
  if (registry.has(name) && registry.get(name) !== actions) throw new Error(`policy ${name} defined twice`);
  registry.set(name, actions);
  return {
    name,
    actions,
    ref: (action) => {
      if (!(action in actions)) throw new Error(`policy ${name} has no action ${action}`);
      return `${name}.${action}`;
    },
  };
}

/** Whether the actor holds a role that may attempt the action (the route-level gate). */
export function roleAllows(actor: Actor, rule: ActionRule<any>): boolean {
  return rule.roles === 'signed-in' || rule.roles.some((r) => actor.roles.includes(r));
}

/** Whether the actor may do `action` on `resource`. */
export function can<T extends PolicyTable, A extends keyof T & string>(
  actor: Actor | null,
  policy: Policy<T>,
  action: A,
  ...resource: ResourceArg<T[A]>
): boolean {
  if (!actor) return false;
  const rule = policy.actions[action]!;
  if (!roleAllows(actor, rule)) return false;
  return rule.allow ? rule.allow(actor, resource[0] as never) : true;
}

/** Throws 403 (with the roles the action needs) unless the actor may do `action` on `resource`. */
export function authorize<T extends PolicyTable, A extends keyof T & string>(
  actor: Actor | null,
  policy: Policy<T>,
  action: A,
  ...resource: ResourceArg<T[A]>
): asserts actor is Actor {
  const rule = policy.actions[action]!;
  if (!actor || !roleAllows(actor, rule))
    throw forbidden('forbidden', rule.roles === 'signed-in' ? {} : { requiredRoles: rule.roles });
  if (rule.allow && !rule.allow(actor, resource[0] as never)) {
    const status = rule.deny?.status ?? 403;
    throw new AppError(status, rule.deny?.code ?? (status === 404 ? 'not_found' : 'forbidden'));
  }
}

/** `can: {approve: true, …}` for an answer: the listed actions on one resource, for the caller. */
export function canMany<T extends PolicyTable, A extends keyof T & string>(
  actor: Actor | null,
  policy: Policy<T>,
  actions: readonly A[],
  resource: ResourceOf<T[A]>,
): Record<A, boolean> {
  const out = {} as Record<A, boolean>;
  for (const a of actions) out[a] = (can as any)(actor, policy, a, resource);
  return out;
}

/** The rule a route declared (`name.action`), or undefined for an unknown reference. */
export function ruleOf(ref: string): ActionRule<any> | undefined {
  const dot = ref.indexOf('.');
  if (dot < 0) return undefined;
  return registry.get(ref.slice(0, dot))?.[ref.slice(dot + 1)];
}

/** Every action of every defined policy (for the matrix test and the docs). */
export function policyActions(): { ref: string; roles: readonly Role[] | 'signed-in' }[] {
  const out: { ref: string; roles: readonly Role[] | 'signed-in' }[] = [];
  for (const [name, table] of registry)
    for (const [action, rule] of Object.entries(table))
      out.push({ ref: `${name}.${action}`, roles: rule.roles });
  return out;
}

/**
 * Statement counter for the bench (docs/PERFORMANCE.md), off unless `JIBAO_COUNT_SQL=1`: wraps the driver's
 * `Client#query`, so every statement sent is counted — `BEGIN`/`COMMIT`, session look-ups and the pool's own
 * `pool.query` included. Statements run inside `countSqlFor(scope, fn)` (a request, see
 * `src/server/bench-stats.ts`) are counted for that scope, the rest as background (workers, the live hub).
 *
 * It also watches each connection's transactions: a `NOTIFY` / `pg_notify(…)` sent between `BEGIN` and
 * `COMMIT` takes PostgreSQL's cluster-wide notify lock until after the commit's flush, so it is counted
 * (`notifyInTx`, with the first statements that did it) — the goal is zero.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

export interface SqlTally {
  statements: number;
  /** committed transactions (`COMMIT` sent) */
  transactions: number;
  /** `NOTIFY` / `pg_notify` statements, in or outside a transaction */
  notifies: number;
  /** committed transactions that sent a NOTIFY between BEGIN and COMMIT */
  notifyInTx: number;
}

export interface SqlScope {
  tally: SqlTally;
}

const emptyTally = (): SqlTally => ({ statements: 0, transactions: 0, notifies: 0, notifyInTx: 0 });

const scopes = new AsyncLocalStorage<SqlScope>();
const total = emptyTally();
const background = emptyTally();
const notifyInTxSamples: string[] = [];
/** per connection: the open transaction, and whether it sent a NOTIFY */
const txOf = new WeakMap<object, { notify: string | null }>();
let installed = false;

export function newSqlScope(): SqlScope {
  return { tally: emptyTally() };
}

/** Run `fn` with its statements counted for `scope` (as well as in the totals). */
export function countSqlFor<T>(scope: SqlScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

export function sqlCounting(): boolean {
  return installed;
}

/** Totals since start: every statement, background (outside any scope), and the NOTIFYs inside transactions. */
export function sqlTotals() {
  return {
    counting: installed,
    total: { ...total },
    background: { ...background },
    notifyInTxSamples: [...notifyInTxSamples],
  };
}

function textOf(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { text?: unknown }).text === 'string')
    return (arg as { text: string }).text;
  return '';
}

/** What a statement does to its connection's transaction (and whether it notifies). */
export function classifySql(text: string): {
  begins: boolean;
  commits: boolean;
  rollsBack: boolean;
  notifies: boolean;
} {
  const t = text.trimStart().slice(0, 40).toLowerCase();
  const first = /^[a-z_]+/.exec(t)?.[0] ?? '';
  return {
    begins: first === 'begin' || t.startsWith('start transaction'),
    commits: first === 'commit' || first === 'end',
    // `ROLLBACK TO SAVEPOINT` keeps the transaction open
    rollsBack: (first === 'rollback' && !/\bto\b/.test(t)) || first === 'abort',
    notifies: first === 'notify' || /pg_notify\s*\(/i.test(text),
  };
}

/** The statement as sampled: its text and, for a parameterized NOTIFY, the channel it names. */
function sampleOf(args: unknown[], text: string): string {
  const a0 = args[0] as { values?: unknown[] } | undefined;
  const values = Array.isArray(args[1]) ? args[1] : Array.isArray(a0?.values) ? a0.values : [];
  return values.length ? `${text} -- $1 = ${JSON.stringify(values[0])}` : text;
}

function count(client: object, args: unknown[]) {
  const text = textOf(args[0]);
  const scope = scopes.getStore();
  const tallies = scope ? [total, scope.tally] : [total, background];
  const c = classifySql(text);
  for (const t of tallies) t.statements++;
  if (c.begins) {
    txOf.set(client, { notify: null });
    return;
  }
  const tx = txOf.get(client);
  if (c.notifies) {
    for (const t of tallies) t.notifies++;
    if (tx && !tx.notify) tx.notify = sampleOf(args, text);
  }
  if (c.commits) {
    for (const t of tallies) t.transactions++;
    if (tx?.notify) {
      for (const t of tallies) t.notifyInTx++;
      if (notifyInTxSamples.length < 5) notifyInTxSamples.push(tx.notify.replace(/\s+/g, ' ').slice(0, 240));
    }
    txOf.delete(client);
  } else if (c.rollsBack) txOf.delete(client);
}

/** Wrap the driver once (idempotent). Without it nothing of this module runs on the query path. */
export function installSqlCounter(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: object, ...args: unknown[]) {
    count(this, args);
    return original.apply(this, args);
  };
}

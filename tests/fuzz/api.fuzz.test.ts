/**
 * Input fuzzing (issue 6): every POST/PATCH/PUT body and every query string of the API, taken from
 * GET /api/openapi.json, gets generated input — shaped like the schema but with wrong types, bad formats,
 * missing and extra fields, or plain garbage. Whatever comes in: never a 500, a refusal always has the
 * documented shape {error: {code, message, details}}, and a refused request changes nothing (row counts of
 * the core tables are the same before and after).
 *
 * FUZZ_RUNS (default 8) inputs per operation keep this to about a minute in `npm test`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** Tables a refused request must not touch. */
const CORE_TABLES = [
  'units',
  'users',
  'events',
  'event_units',
  'event_changes',
  'reports',
  'report_versions',
  'report_approvals',
  'report_deliveries',
  'report_requests',
  'deadlines',
  'timers',
  'audit_log',
  'audit_heads',
  'notifications',
  'outbox',
  'idempotency_keys',
  'rule_sets',
];

/** A refused sign-in is meant to leave a trace: the failure count and its registration-log entry. */
const WRITES_ON_REFUSAL: Record<string, string[]> = {
  'POST /api/auth/login': ['audit_log', 'audit_heads'],
};

/** Not fuzzed: the live stream never ends, logout would end our session, uploads are multipart. */
const SKIP = new Set(['GET /api/stream', 'POST /api/auth/logout']);

let t: TestApp;
let existing: string[] = [];
let tableList: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  // some real ids, so that path parameters reach past "not found" into validation and rules
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '模糊测试用事件',
    categoryCode: '11B01',
    level: 'IV',
    occurredAt: new Date(t.clock.now().getTime() - 10 * 60_000).toISOString(),
    place: { address: '城关街道' },
  });
  const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
    kind: 'followup',
    elements: { scope: '2户' },
  });
  const units = await t.tdb.pool.query('select id from units order by name limit 3');
  existing = [ev.body.id, rep.body.id, ...units.rows.map((r) => r.id)].filter(Boolean);
  const have = await t.tdb.pool.query(
    `select table_name from information_schema.tables where table_schema = 'public'`,
  );
  const names = new Set(have.rows.map((r) => r.table_name));
  tableList = CORE_TABLES.filter((x) => names.has(x));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function counts(): Promise<Record<string, number>> {
  const r = await t.tdb.pool.query(
    `select ${tableList.map((x) => `(select count(*) from ${x})::int as ${x}`).join(', ')}`,
  );
  return r.rows[0];
}

// ------------------------------------------------------------------------------- schema → arbitraries
type Schema = Record<string, any>;

const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '😀', "'; drop table users; --", '9'.repeat(400), '-1', '1e309', 'NaN'),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

function stringFor(s: Schema): fc.Arbitrary<string> {
  const pool: fc.Arbitrary<string>[] = [
    fc.string({ maxLength: 30 }),
    fc.constantFrom('', ' ', 'x'.repeat(5000)),
  ];
  if (s.format === 'uuid') pool.push(fc.uuid(), fc.constantFrom(...existing));
  if (s.format === 'date-time')
    pool.push(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constantFrom('2026-13-45T25:61:00Z', '2026-11-23T10:00:00+08:00', 'yesterday'),
    );
  if (s.format === 'email') pool.push(fc.emailAddress());
  if (Array.isArray(s.enum)) pool.push(fc.constantFrom(...s.enum.map(String)));
  if (s.pattern) {
    try {
      pool.push(fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length < 200));
    } catch {
      /* a pattern fast-check cannot generate from */
    }
  }
  if (typeof s.maxLength === 'number')
    pool.push(fc.string({ minLength: s.maxLength + 1, maxLength: s.maxLength + 3 }));
  return fc.oneof(...pool);
}

function arbFor(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 4) return garbage;
  const alts = s.anyOf ?? s.oneOf;
  if (Array.isArray(alts) && alts.length)
    return fc.oneof(...alts.map((x: Schema) => arbFor(x, depth + 1)), garbage);
  if (Array.isArray(s.allOf) && s.allOf.length) return arbFor(Object.assign({}, ...s.allOf), depth + 1);
  if (s.const !== undefined) return fc.oneof(fc.constant(s.const), garbage);
  if (Array.isArray(s.enum)) return fc.oneof(fc.constantFrom(...s.enum), fc.constantFrom(...s.enum), garbage);
  const type = Array.isArray(s.type) ? s.type.find((x: string) => x !== 'null') : s.type;
  let main: fc.Arbitrary<unknown>;
  switch (type) {
    case 'string':
      main = stringFor(s);
      break;
    case 'integer':
      main = fc.oneof(
        fc.integer({ min: -5, max: 100 }),
        fc.constantFrom(s.minimum ?? 0, s.maximum ?? 1e7, (s.maximum ?? 1e7) + 1, -1, 2 ** 53),
        fc.double(),
      );
      break;
    case 'number':
      main = fc.oneof(fc.double({ noNaN: true }), fc.integer(), fc.constantFrom(-1, 0, 1e16));
      break;
    case 'boolean':
      main = fc.boolean();
      break;
    case 'array':
      main = fc.array(arbFor(s.items, depth + 1), { maxLength: 4 });
      break;
    case 'object':
    case undefined: {
      const props: Record<string, Schema> = s.properties ?? {};
      const keys = Object.keys(props);
      if (keys.length === 0) {
        main = s.additionalProperties
          ? fc.dictionary(fc.string({ maxLength: 8 }), arbFor(s.additionalProperties, depth + 1), {
              maxKeys: 3,
            })
          : fc.dictionary(fc.string({ maxLength: 8 }), garbage, { maxKeys: 2 });
        break;
      }
      const required: string[] = s.required ?? [];
      main = fc
        .tuple(
          fc.record(Object.fromEntries(keys.map((k) => [k, arbFor(props[k], depth + 1)])), {
            requiredKeys: required.filter(() => true),
          }),
          fc.subarray(required), // required fields dropped now and then
          fc.boolean(),
          fc.dictionary(fc.string({ maxLength: 6 }), garbage, { maxKeys: 2 }), // unknown fields
        )
        .map(([rec, drop, doDrop, extra]) => {
          const out: Record<string, unknown> = { ...extra, ...(rec as object) };
          if (doDrop) for (const k of drop) delete out[k];
          return out;
        });
      break;
    }
    default:
      main = garbage;
  }
  return s.nullable || (Array.isArray(s.type) && s.type.includes('null'))
    ? fc.oneof(main, fc.constant(null), garbage)
    : fc.oneof({ weight: 4, arbitrary: main }, { weight: 1, arbitrary: garbage });
}

// ------------------------------------------------------------------------------------------ operations
interface Op {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: Schema;
  multipart: boolean;
  query: Array<{ name: string; schema: Schema; required: boolean }>;
  pathParams: string[];
}

function operations(doc: any): Op[] {
  const out: Op[] = [];
  for (const [p, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const m of ['get', 'post', 'patch', 'put'] as const) {
      const op = item[m];
      if (!op) continue;
      const method = m.toUpperCase() as Op['method'];
      if (SKIP.has(`${method} ${p}`)) continue;
      const params: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const content = op.requestBody?.content ?? {};
      const query = params
        .filter((x) => x.in === 'query')
        .map((x) => ({ name: x.name, schema: x.schema ?? {}, required: !!x.required }));
      if (method === 'GET' && query.length === 0) continue;
      out.push({
        method,
        path: p,
        body: content['application/json']?.schema,
        multipart: !!content['multipart/form-data'],
        query,
        pathParams: params.filter((x) => x.in === 'path').map((x) => x.name),
      });
    }
  }
  return out;
}

const pathArb = (op: Op) =>
  fc.tuple(
    ...op.pathParams.map(() =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...existing) },
        { weight: 1, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: fc.constantFrom('not-a-uuid', '0', '%20', '440000', '..') },
      ),
    ),
  );

const queryArb = (op: Op) =>
  fc.record(
    Object.fromEntries(
      op.query.map((q) => [
        q.name,
        fc.oneof(
          arbFor(q.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
          fc.string({ maxLength: 12 }),
          fc.constantFrom('', '-1', '1e400', 'null', '%'),
        ),
      ]),
    ),
    { requiredKeys: [] },
  );

function isErrorShape(b: any) {
  return (
    b &&
    typeof b === 'object' &&
    b.error &&
    typeof b.error.code === 'string' &&
    typeof b.error.message === 'string' &&
    b.error.message.length > 0 &&
    b.error.details !== null &&
    typeof b.error.details === 'object'
  );
}

describe('API input fuzzing', () => {
  it('never answers 500, refuses in the documented shape and changes nothing when it refuses', async () => {
    const doc = (await t.call(null, 'GET', '/api/openapi.json')).body;
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(20);
    const tokens = {
      admin: await t.token('admin'),
      editor: await t.token('dc_xxk'),
      reporter: await t.token('cgz_xxy'),
    };
    const failures: string[] = [];
    let requests = 0;
    const statuses = new Map<number, number>();
    for (const op of ops) {
      if (op.multipart) continue;
      const bodyArb = op.body ? arbFor(op.body) : fc.constant(undefined);
      await fc
        .assert(
          fc.asyncProperty(
            pathArb(op),
            queryArb(op),
            bodyArb,
            fc.constantFrom<keyof typeof tokens>('admin', 'editor', 'reporter'),
            fc.boolean(),
            async (params, query, body, who, withKey) => {
              let url = op.path;
              op.pathParams.forEach((name, i) => {
                url = url.replace(`{${name}}`, encodeURIComponent(String(params[i])));
              });
              const qs = new URLSearchParams(query as Record<string, string>).toString();
              if (qs) url += `?${qs}`;
              const headers: Record<string, string> = { authorization: `Bearer ${tokens[who]}` };
              if (withKey && op.method !== 'GET') headers['idempotency-key'] = `fuzz-${Math.random()}`;
              let payload: string | undefined;
              if (op.method !== 'GET' && body !== undefined) {
                headers['content-type'] = 'application/json';
                payload = JSON.stringify(body);
              }
              const before = await counts();
              const r = await t.app.inject({ method: op.method, url, payload, headers });
              requests++;
              statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
              const what = `${op.method} ${url} ${payload?.slice(0, 300) ?? ''} → ${r.statusCode} ${r.body.slice(0, 300)}`;
              if (r.statusCode >= 500) {
                failures.push(`500: ${what}`);
                return false;
              }
              if (r.statusCode >= 400) {
                let b: unknown = null;
                try {
                  b = r.json();
                } catch {
                  /* not JSON */
                }
                if (!isErrorShape(b)) {
                  failures.push(`shape: ${what}`);
                  return false;
                }
                const after = await counts();
                const allowed = WRITES_ON_REFUSAL[`${op.method} ${op.path}`] ?? [];
                const changed = tableList.filter((x) => before[x] !== after[x] && !allowed.includes(x));
                if (changed.length) {
                  failures.push(`partial write (${changed.join(', ')}): ${what}`);
                  return false;
                }
              }
              return true;
            },
          ),
          { numRuns: RUNS, seed: SEED, endOnFailure: true },
        )
        .catch(() => {
          /* collected in failures with the request that broke it */
        });
    }
    const byStatus = [...statuses].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}×${v}`);
    console.log(`fuzzed ${ops.length} operations with ${requests} requests: ${byStatus.join(' ')}`);
    expect(failures).toEqual([]);
  }, 240_000);
});

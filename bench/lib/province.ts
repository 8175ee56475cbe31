/**
 * A real province for the load: its cities, counties and every township from the national division table
 * (POST /api/units/from-division, with offices), three departments per county, and one signed-in person per
 * unit. People and sessions are written with SQL (one argon2 hash, tokens generated here) so that setting up
 * a few thousand accounts does not take minutes of password hashing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type pg from 'pg';
import { request } from './http.js';

export interface Person {
  userId: string;
  token: string;
  unitId: string;
  /** the unit the person acts for (an office acts for its area) */
  actingId: string;
}

export interface Province {
  rootId: string;
  created: unknown;
  /** township reporters (their 党政办) and county department reporters, with the area their report goes to */
  reporters: Array<Person & { toAreaId: string }>;
  /** people of county and city offices, who see those areas' intake */
  receivers: Array<Person & { level: string }>;
  countyCount: number;
  townshipCount: number;
  unitCount: number;
}

const DEPARTMENTS: Array<[string, string]> = [
  ['work_safety', '应急管理局'],
  ['civil_affairs', '民政局'],
  ['water', '水利局'],
];

export async function setupProvince(
  base: string,
  pool: pg.Pool,
  adminToken: string,
  code = '440000',
): Promise<Province> {
  const r = await request(base, 'POST', '/api/units/from-division', {
    token: adminToken,
    body: { code, includeTownships: true, withOffices: true },
    timeoutMs: 300_000,
  });
  if (r.status !== 201) throw new Error(`from-division: ${r.status} ${JSON.stringify(r.body)}`);
  const rootId: string = r.body.rootUnitId;
  await pool.query(
    `with c as (select id, path, name from units where kind = 'area' and level = 'county' and path @> array[$1]::uuid[]),
      t(dt, nm) as (select * from unnest($2::text[], $3::text[])),
      n as (select gen_random_uuid() as id, c.id as parent, c.path, c.name || t.nm as name, t.dt from c cross join t)
    insert into units (id, name, kind, level, parent_id, path, department_type)
    select id, name, 'department', null, parent, path || id, dt from n`,
    [rootId, DEPARTMENTS.map((d) => d[0]), DEPARTMENTS.map((d) => d[1])],
  );
  const pw = await hash(randomBytes(12).toString('hex'), {
    algorithm: 2,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  });
  // one person per unit: township 党政办 and county departments report; county/city offices receive
  await pool.query(
    `insert into users (username, password_hash, name, unit_id, roles)
    select 'bench_' || replace(u.id::text, '-', ''), $2, u.name || '信息员', u.id,
      case
        when u.kind = 'party_office' and a.level = 'township' then array['reporter']
        when u.kind = 'department' then array['reporter']
        when u.kind = 'party_office' then array['editor', 'duty_officer', 'reporter']
        when u.kind = 'duty_room' then array['duty_officer', 'duty_leader']
        else array['reporter', 'approver']
      end
    from units u join units a on a.id = u.parent_id
    where u.path @> array[$1]::uuid[] and u.kind in ('party_office', 'gov_office', 'duty_room', 'department')`,
    [rootId, pw],
  );
  const users = await pool.query(
    `select us.id as user_id, u.id as unit_id, u.kind, a.id as area_id, a.level as area_level, a.parent_id as area_parent
    from users us join units u on u.id = us.unit_id join units a on a.id = u.parent_id
    where us.username like 'bench\\_%' and u.path @> array[$1]::uuid[]`,
    [rootId],
  );
  const tokens: string[] = [];
  const hashes: string[] = [];
  const ids: string[] = [];
  const reporters: Province['reporters'] = [];
  const receivers: Province['receivers'] = [];
  for (const row of users.rows) {
    const token = randomBytes(24).toString('base64url');
    tokens.push(token);
    hashes.push(createHash('sha256').update(token).digest('hex'));
    ids.push(row.user_id);
    const office = row.kind !== 'department';
    const p: Person = {
      userId: row.user_id,
      token,
      unitId: row.unit_id,
      actingId: office ? row.area_id : row.unit_id,
    };
    if (row.kind === 'party_office' && row.area_level === 'township')
      reporters.push({ ...p, toAreaId: row.area_parent });
    else if (row.kind === 'department') reporters.push({ ...p, toAreaId: row.area_id });
    else if ((row.kind === 'party_office' || row.kind === 'duty_room') && row.area_level !== 'province')
      receivers.push({ ...p, level: row.area_level });
  }
  await pool.query(
    `insert into sessions (token_hash, user_id, created_at, expires_at)
    select h, u, now(), now() + interval '2 days' from unnest($1::text[], $2::uuid[]) as x(h, u)`,
    [hashes, ids],
  );
  const counts = await pool.query(
    `select count(*) filter (where level = 'county')::int as counties,
      count(*) filter (where level = 'township')::int as townships, count(*)::int as units
    from units where path @> array[$1]::uuid[]`,
    [rootId],
  );
  return {
    rootId,
    created: r.body.created,
    reporters,
    receivers,
    countyCount: counts.rows[0].counties,
    townshipCount: counts.rows[0].townships,
    unitCount: counts.rows[0].units,
  };
}

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import { type Ctx, inTx } from '../../floor/context.js';
import { badRequest, notFound } from '../../floor/errors.js';
import { registerMessages } from '../../floor/i18n.js';
import { authorize } from '../../floor/policy.js';
import { isGlobalAdmin } from '../auth/policy.js';
import { allowLongStatements, startJob } from '../jobs/jobs.js';
import { type Division, type DivisionLevel, divisionSubtree, getDivision } from './division/table.js';
import { unitsPolicy } from './policy.js';
import * as repo from './units.repo.js';
import { levelRank } from './units.service.js';

registerMessages(
  {
    'error.division_not_found': '行政区划代码 {code} 不在全国行政区划表中。',
    'error.division_parent_not_area': '上级单位必须是区域单位。',
    'error.division_parent_not_higher': '上级区域（{parentLevel}）的级别必须高于要创建的区域（{level}）。',
    'error.division_parent_missing':
      '找不到上级区域（行政区划代码 {parentCode}），请指定上级单位（parentId）或先创建上级区域。',
  },
  {
    'error.division_not_found': 'Division code {code} is not in the national division table.',
    'error.division_parent_not_area': 'The parent unit must be an area.',
    'error.division_parent_not_higher':
      'The parent area ({parentLevel}) must be of a higher level than the area to create ({level}).',
    'error.division_parent_missing':
      'The parent area (division code {parentCode}) does not exist: give parentId or create the parent area first.',
  },
);

export interface FromDivisionInput {
  code: string;
  parentId?: string | null;
  includeTownships?: boolean;
  withOffices?: boolean;
}

type OfficeKind = 'party_office' | 'gov_office' | 'duty_room';

/** The offices an area gets: the two general offices and the duty room; a township one 党政办. */
export function officesFor(name: string, level: DivisionLevel): Array<{ name: string; kind: OfficeKind }> {
  if (level === 'township') return [{ name: `${name}党政办`, kind: 'party_office' }];
  const hall = level === 'province' ? '办公厅' : '办公室';
  // 自治区/自治州/自治县/盟/旗 keep their full name before 党委; 地区 → 地委 / 行政公署
  const party = /(自治区|自治州|自治县|盟|旗)$/.test(name)
    ? `${name}党委${hall}`
    : name.endsWith('地区')
      ? `${name.slice(0, -1)}委${hall}`
      : `${name}委${hall}`;
  const gov = name.endsWith('地区') ? `${name}行政公署${hall}` : `${name}人民政府${hall}`;
  return [
    { name: party, kind: 'party_office' },
    { name: gov, kind: 'gov_office' },
    { name: `${name}总值班室`, kind: 'duty_room' },
  ];
}

export interface NewUnit {
  id: string;
  name: string;
  kind: string;
  level: string | null;
  parentId: string | null;
  path: string[];
  divisionCode: string | null;
  dutyPhone?: string | null;
  fax?: string | null;
}

/** Insert many units in a few statements (ids and paths computed by the caller, parents first). */
export async function insertUnitsBatch(
  ctx: Ctx,
  rows: NewUnit[],
  progress?: (done: number, total: number) => Promise<void>,
) {
  const CHUNK = 2000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    await progress?.(i, rows.length);
    const part = rows.slice(i, i + CHUNK).map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      level: r.level,
      parent_id: r.parentId,
      path: `{${r.path.join(',')}}`,
      division_code: r.divisionCode,
      duty_phone: r.dutyPhone ?? null,
      fax: r.fax ?? null,
    }));
    await ctx.tx.execute(sql`
      insert into units (id, name, kind, level, parent_id, path, division_code, duty_phone, fax)
      select id::uuid, name, kind, level, parent_id::uuid, path::uuid[], division_code, duty_phone, fax
      from json_to_recordset(${JSON.stringify(part)}::json)
        as x(id text, name text, kind text, level text, parent_id text, path text, division_code text,
             duty_phone text, fax text)`);
  }
}

/** The checks that need no database: an admin, a known division above township level. */
export function checkFromDivision(ctx: Ctx, input: FromDivisionInput) {
  authorize(ctx.actor, unitsPolicy, 'fromDivision');
  const root = getDivision(input.code);
  if (!root) throw notFound('division_not_found', { code: input.code });
  if (root.level === 'township') throw badRequest('division_not_found', { code: input.code });
  return { actor: ctx.actor, root };
}

/**
 * The same import as a background job (`POST /api/units/from-division` with `background: true` → 202
 * `{jobId}`): one transaction without the request time limit, progress by units inserted.
 */
export async function startAreasFromDivisionJob(ctx: Ctx, input: FromDivisionInput) {
  checkFromDivision(ctx, input);
  return startJob(
    ctx,
    'units_from_division',
    (jobCtx, progress) =>
      inTx(jobCtx, async (c) => {
        await allowLongStatements(c);
        return createAreasFromDivision(c, input, progress);
      }),
    { input },
  );
}

/**
 * Create the area units of a province, city or county and everything below it from the national division
 * table, with real names and codes, in the caller's transaction. Areas already present (same division code
 * under the same parent) are kept and descended into; optionally every area gets its offices.
 */
export async function createAreasFromDivision(
  ctx: Ctx,
  input: FromDivisionInput,
  progress?: (done: number, total: number) => Promise<void>,
) {
  const { actor, root } = checkFromDivision(ctx, input);

  // Where the top area goes: the given parent, the existing area of the parent code, or the top of the tree.
  let attach: repo.UnitRow | null = null;
  if (input.parentId) {
    attach = await repo.getUnit(ctx.tx, input.parentId);
    if (!attach) throw badRequest('parent_not_found', { parentId: input.parentId });
  } else if (root.parentCode) {
    const r = await ctx.tx.execute<repo.UnitRow>(sql`
      select * from units where kind = 'area' and division_code = ${root.parentCode} and not disabled
        ${isGlobalAdmin(actor) ? sql`` : sql`and path @> array[${actor.acting.id}]::uuid[]`}
      order by array_length(path, 1) limit 1`);
    attach = r.rows[0] ?? null;
    if (!attach) throw badRequest('division_parent_missing', { parentCode: root.parentCode });
  } else {
    // a province: under the nation (the root area) when there is one
    const r = await ctx.tx.execute<repo.UnitRow>(
      sql`select * from units where parent_id is null and kind = 'area' and level = 'nation' order by created_at limit 1`,
    );
    attach = r.rows[0] ?? null;
    if (!attach) authorize(actor, unitsPolicy, 'createRoot', null);
  }
  if (attach) {
    if (attach.kind !== 'area') throw badRequest('division_parent_not_area');
    if (levelRank(attach.level) >= levelRank(root.level))
      throw badRequest('division_parent_not_higher', { parentLevel: attach.level ?? '', level: root.level });
    authorize(actor, unitsPolicy, 'edit', attach);
  } else authorize(actor, unitsPolicy, 'createRoot', null);

  // One import at a time, so two concurrent requests cannot both create the same areas.
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext('jibao:units-from-division'))`);

  const divisions = divisionSubtree(root.code, input.includeTownships ?? true);
  const codes = divisions.map((d) => d.code);
  const existing = await ctx.tx.execute<{
    id: string;
    parent_id: string | null;
    division_code: string;
    path: string[];
  }>(sql`
    select id, parent_id, division_code, path from units
    where kind = 'area' and division_code = any(${sql.raw(`array[${codes.map((c) => `'${c}'`).join(',')}]::text[]`)})`);
  const existingByKey = new Map(existing.rows.map((r) => [`${r.parent_id}|${r.division_code}`, r]));

  const unitOf = new Map<string, { id: string; path: string[]; created: boolean }>();
  const created: NewUnit[] = [];
  const createdByLevel: Record<string, number> = { province: 0, city: 0, county: 0, township: 0 };
  let skippedAreas = 0;
  const areasForOffices: Array<{ id: string; path: string[]; d: Division; created: boolean }> = [];
  for (const d of divisions) {
    const parent =
      d === root ? (attach ? { id: attach.id, path: attach.path } : null) : unitOf.get(d.parentCode!)!;
    const hit = existingByKey.get(`${parent?.id ?? null}|${d.code}`);
    if (hit) {
      unitOf.set(d.code, { id: hit.id, path: hit.path, created: false });
      skippedAreas++;
      areasForOffices.push({ id: hit.id, path: hit.path, d, created: false });
      continue;
    }
    const id = randomUUID();
    const path = [...(parent?.path ?? []), id];
    created.push({
      id,
      name: d.name,
      kind: 'area',
      level: d.level,
      parentId: parent?.id ?? null,
      path,
      divisionCode: d.code,
    });
    createdByLevel[d.level]++;
    unitOf.set(d.code, { id, path, created: true });
    areasForOffices.push({ id, path, d, created: true });
  }

  let officesCreated = 0;
  let officesSkipped = 0;
  if (input.withOffices) {
    const keptIds = areasForOffices.filter((a) => !a.created).map((a) => a.id);
    const have = new Set<string>();
    if (keptIds.length) {
      const r = await ctx.tx.execute<{ parent_id: string; kind: string }>(sql`
        select parent_id, kind from units
        where kind in ('party_office', 'gov_office', 'duty_room') and not disabled
          and parent_id = any(${sql.raw(`array[${keptIds.map((i) => `'${i}'`).join(',')}]::uuid[]`)})`);
      for (const o of r.rows) have.add(`${o.parent_id}|${o.kind}`);
    }
    for (const a of areasForOffices) {
      for (const o of officesFor(a.d.name, a.d.level)) {
        if (have.has(`${a.id}|${o.kind}`)) {
          officesSkipped++;
          continue;
        }
        const id = randomUUID();
        created.push({
          id,
          name: o.name,
          kind: o.kind,
          level: null,
          parentId: a.id,
          path: [...a.path, id],
          divisionCode: null,
        });
        officesCreated++;
      }
    }
  }

  await insertUnitsBatch(ctx, created, progress);
  const rootUnit = unitOf.get(root.code)!;
  const areasCreated = created.length - officesCreated;
  // One registration-log entry for the whole import, naming every unit it created.
  await audit(ctx, {
    stream: `unit:${rootUnit.id}`,
    action: 'units_created_from_division',
    entityType: 'unit',
    entityId: rootUnit.id,
    unitId: rootUnit.id,
    data: {
      code: root.code,
      name: root.name,
      parentId: attach?.id ?? null,
      includeTownships: input.includeTownships ?? true,
      withOffices: !!input.withOffices,
      areasCreated,
      officesCreated,
      skippedAreas,
      units: created.map((u) => [u.id, u.kind, u.divisionCode ?? u.parentId]),
    },
  });
  return {
    rootUnitId: rootUnit.id,
    code: root.code,
    name: root.name,
    created: { areas: areasCreated, offices: officesCreated, ...createdByLevel },
    skipped: { areas: skippedAreas, offices: officesSkipped },
  };
}

import { type SQL, sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../floor/context.js';

/** SQL of the inspections module: campaigns, visits, hazards and their photos, statistics. */

const ids = (xs: string[]) =>
  sql`array[${sql.join(xs.length ? xs.map((x) => sql`${x}`) : [sql`null`], sql`, `)}]::uuid[]`;

export type UnitRow = { id: string; name: string; kind: string; parent_id: string | null; path: string[] };

export async function loadUnits(ctx: Ctx, unitIds: string[]): Promise<Map<string, UnitRow>> {
  const out = new Map<string, UnitRow>();
  if (!unitIds.length) return out;
  const r = await ctx.tx.execute<UnitRow>(
    sql`select id, name, kind, parent_id, path from units where id = any(${ids([...new Set(unitIds)])}) and not disabled`,
  );
  for (const u of r.rows) out.set(u.id, u);
  return out;
}

// ---- campaigns ---------------------------------------------------------------------------------------------

export type CampaignRow = {
  id: string;
  title: string;
  from_date: string;
  to_date: string;
  area_id: string;
  area_name: string;
  issuer_unit_id: string;
  created_at: Date;
  sectors: Array<{ sector: string; leadUnitId: string; leadUnitName: string }>;
  units: Array<{ unitId: string; unitName: string }>;
};

/** Campaigns the actor sees: of its area or an area below, or one it takes part in or leads a sector of. */
export const campaignVisibleSql = (a: Actor, alias = 'c'): SQL => {
  const c = sql.raw(alias);
  return sql`(exists (select 1 from units ca where ca.id = ${c}.area_id and ca.path @> array[${a.acting.id}]::uuid[])
    or exists (select 1 from inspection_campaign_units cu where cu.campaign_id = ${c}.id and cu.unit_id = ${a.acting.id})
    or exists (select 1 from inspection_campaign_sectors cs where cs.campaign_id = ${c}.id and cs.lead_unit_id = ${a.acting.id}))`;
};

const CAMPAIGN_SELECT = sql`select c.id, c.title, to_char(c.from_date, 'YYYY-MM-DD') as from_date,
  to_char(c.to_date, 'YYYY-MM-DD') as to_date, c.area_id, a.name as area_name, c.issuer_unit_id, c.created_at,
  coalesce((select json_agg(json_build_object('sector', s.sector, 'leadUnitId', s.lead_unit_id, 'leadUnitName', lu.name) order by s.ord)
    from inspection_campaign_sectors s join units lu on lu.id = s.lead_unit_id where s.campaign_id = c.id), '[]') as sectors,
  coalesce((select json_agg(json_build_object('unitId', cu.unit_id, 'unitName', u.name) order by u.name)
    from inspection_campaign_units cu join units u on u.id = cu.unit_id where cu.campaign_id = c.id), '[]') as units
  from inspection_campaigns c join units a on a.id = c.area_id`;

export async function insertCampaign(
  ctx: Ctx,
  c: {
    title: string;
    from: string;
    to: string;
    areaId: string;
    issuerUnitId: string;
    sectors: Array<{ sector: string; leadUnitId: string }>;
    unitIds: string[];
  },
): Promise<string> {
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<{ id: string }>(sql`
    with c as (insert into inspection_campaigns (title, from_date, to_date, area_id, issuer_unit_id, created_by, created_at)
      values (${c.title}, ${c.from}, ${c.to}, ${c.areaId}, ${c.issuerUnitId}, ${ctx.actor!.id}, ${now}) returning id),
    s as (insert into inspection_campaign_sectors (campaign_id, sector, lead_unit_id, ord)
      select c.id, v.sector, v.lead::uuid, v.ord::int from c, (values ${sql.join(
        c.sectors.map((s, i) => sql`(${s.sector}, ${s.leadUnitId}, ${i})`),
        sql`, `,
      )}) as v(sector, lead, ord)),
    u as (insert into inspection_campaign_units (campaign_id, unit_id)
      select c.id, x from c, unnest(${ids(c.unitIds)}) as x where x is not null)
    select id from c`);
  return r.rows[0]!.id;
}

export async function getCampaign(ctx: Ctx, id: string, a: Actor | null): Promise<CampaignRow | null> {
  const r = await ctx.tx.execute<CampaignRow>(
    sql`${CAMPAIGN_SELECT} where c.id = ${id} ${a ? sql`and ${campaignVisibleSql(a)}` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function listCampaigns(ctx: Ctx, a: Actor): Promise<CampaignRow[]> {
  const r = await ctx.tx.execute<CampaignRow>(
    sql`${CAMPAIGN_SELECT} where ${campaignVisibleSql(a)} order by c.from_date desc, c.created_at desc limit 200`,
  );
  return r.rows;
}

export type BoardRow = {
  key: string;
  places: number;
  visits: number;
  found: number;
  on_time: number;
  closed: number;
};

/** The progress board of a campaign: per sector and per recording unit. */
export async function campaignBoard(
  ctx: Ctx,
  campaignId: string,
): Promise<{ bySector: BoardRow[]; byUnit: BoardRow[] }> {
  const part = (col: string) => sql`
    with v as (select ${sql.raw(col === 'sector' ? 'sector' : 'unit_id::text')} as key, count(distinct place)::int as places, count(*)::int as visits
        from inspection_visits where campaign_id = ${campaignId} group by 1),
      h as (select ${sql.raw(col === 'sector' ? 'sector' : 'recording_unit_id::text')} as key, count(*)::int as found,
        count(*) filter (where status = 'closed' and reported_at <= first_rectify_by)::int as on_time,
        count(*) filter (where status = 'closed')::int as closed
        from hazards where campaign_id = ${campaignId} group by 1)
    select coalesce(v.key, h.key) as key, coalesce(v.places, 0) as places, coalesce(v.visits, 0) as visits,
      coalesce(h.found, 0) as found, coalesce(h.on_time, 0) as on_time, coalesce(h.closed, 0) as closed
    from v full join h on h.key = v.key`;
  const [s, u] = await Promise.all([
    ctx.tx.execute<BoardRow>(part('sector')),
    ctx.tx.execute<BoardRow>(part('unit')),
  ]);
  return { bySector: s.rows, byUnit: u.rows };
}

// ---- visits ------------------------------------------------------------------------------------------------

export type VisitRow = {
  id: string;
  campaign_id: string | null;
  place: string;
  sector: string;
  unit_id: string;
  unit_name: string;
  visited_at: Date;
  findings: string | null;
  hazard_count: number;
};

export async function insertVisit(
  ctx: Ctx,
  v: {
    campaignId: string | null;
    place: string;
    sector: string;
    unitId: string;
    visitedAt: Date;
    findings: string | null;
  },
): Promise<string> {
  const r = await ctx.tx.execute<{ id: string }>(sql`
    insert into inspection_visits (campaign_id, place, sector, unit_id, visited_at, findings, created_by, created_at)
    values (${v.campaignId}, ${v.place}, ${v.sector}, ${v.unitId}, ${v.visitedAt.toISOString()}, ${v.findings},
      ${ctx.actor!.id}, ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0]!.id;
}

const VISIT_SELECT = sql`select v.id, v.campaign_id, v.place, v.sector, v.unit_id, u.name as unit_name, v.visited_at,
  v.findings, (select count(*)::int from hazards h where h.visit_id = v.id) as hazard_count
  from inspection_visits v join units u on u.id = v.unit_id`;

export async function getVisit(ctx: Ctx, id: string): Promise<VisitRow | null> {
  return (await ctx.tx.execute<VisitRow>(sql`${VISIT_SELECT} where v.id = ${id}`)).rows[0] ?? null;
}

/** Visits the actor sees: its own subtree's, and those of campaigns it sees. */
export async function listVisits(ctx: Ctx, a: Actor, campaignId: string | null): Promise<VisitRow[]> {
  const r = await ctx.tx.execute<VisitRow>(sql`${VISIT_SELECT}
    where (u.path @> array[${a.acting.id}]::uuid[]
      or exists (select 1 from inspection_campaigns c where c.id = v.campaign_id and ${campaignVisibleSql(a)}))
    ${campaignId ? sql`and v.campaign_id = ${campaignId}` : sql``}
    order by v.visited_at desc limit 500`);
  return r.rows;
}

// ---- hazards -----------------------------------------------------------------------------------------------

export type HazardRow = {
  id: string;
  campaign_id: string | null;
  campaign_title: string | null;
  visit_id: string;
  place: string;
  sector: string;
  severity: 'general' | 'major';
  description: string;
  responsible_unit_id: string;
  responsible_unit_name: string;
  recording_unit_id: string;
  recording_unit_name: string;
  lead_unit_id: string | null;
  lead_unit_name: string | null;
  area_id: string;
  status: 'open' | 'reported' | 'closed';
  found_at: Date;
  rectify_by: Date;
  first_rectify_by: Date;
  reported_at: Date | null;
  rectification_text: string | null;
  sent_back_count: number;
  verify_note: string | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  photos: Array<{ id: string; filename: string; mime: string; size: number }>;
  measures: string[];
  penalty: string | null;
  enforcement_units: Array<{ unitId: string; unitName: string }>;
};

const HAZARD_SELECT = sql`select h.id, h.campaign_id, c.title as campaign_title, h.visit_id, h.place, h.sector,
  h.severity, h.description, h.responsible_unit_id, ru.name as responsible_unit_name, h.recording_unit_id,
  rc.name as recording_unit_name, h.lead_unit_id, lu.name as lead_unit_name, h.area_id, h.status, h.found_at,
  h.rectify_by, h.first_rectify_by, h.reported_at, h.rectification_text, h.sent_back_count, h.verify_note,
  h.closed_at, h.created_at, h.updated_at, h.measures, h.penalty,
  coalesce((select json_agg(json_build_object('unitId', eu.id, 'unitName', eu.name) order by eu.name)
    from units eu where eu.id = any(h.enforcement_unit_ids)), '[]') as enforcement_units,
  coalesce((select json_agg(json_build_object('id', p.id, 'filename', p.filename, 'mime', p.mime, 'size', p.size) order by p.at)
    from hazard_photos p where p.hazard_id = h.id), '[]') as photos
  from hazards h join units ru on ru.id = h.responsible_unit_id join units rc on rc.id = h.recording_unit_id
  left join units lu on lu.id = h.lead_unit_id left join inspection_campaigns c on c.id = h.campaign_id`;

export const hazardVisibleSql = (a: Actor, alias = 'h') =>
  sql`${sql.raw(alias)}.scope_units @> array[${a.acting.id}]::uuid[]`;

export async function getHazard(
  ctx: Ctx,
  id: string,
  a: Actor | null,
  lock = false,
): Promise<HazardRow | null> {
  const r = await ctx.tx.execute<HazardRow>(sql`${HAZARD_SELECT} where h.id = ${id}
    ${a ? sql`and ${hazardVisibleSql(a)}` : sql``} ${lock ? sql`for update of h` : sql``}`);
  return r.rows[0] ?? null;
}

export async function listHazards(
  ctx: Ctx,
  a: Actor,
  f: { status?: string; campaignId?: string; responsibleUnitId?: string; severity?: string; sector?: string },
): Promise<HazardRow[]> {
  const now = ctx.clock.now().toISOString();
  const conds: SQL[] = [hazardVisibleSql(a)];
  if (f.status === 'overdue') conds.push(sql`h.status = 'open' and h.rectify_by < ${now}`);
  else if (f.status) conds.push(sql`h.status = ${f.status}`);
  if (f.campaignId) conds.push(sql`h.campaign_id = ${f.campaignId}`);
  if (f.responsibleUnitId) conds.push(sql`h.responsible_unit_id = ${f.responsibleUnitId}`);
  if (f.severity) conds.push(sql`h.severity = ${f.severity}`);
  if (f.sector) conds.push(sql`h.sector = ${f.sector}`);
  const r = await ctx.tx.execute<HazardRow>(sql`${HAZARD_SELECT} where ${sql.join(conds, sql` and `)}
    order by (h.status = 'open' and h.rectify_by < ${now}) desc, h.status = 'closed', h.rectify_by, h.created_at desc
    limit 500`);
  return r.rows;
}

export async function insertHazard(
  ctx: Ctx,
  h: {
    campaignId: string | null;
    visitId: string;
    place: string;
    sector: string;
    severity: string;
    description: string;
    responsibleUnitId: string;
    recordingUnitId: string;
    leadUnitId: string | null;
    areaId: string;
    scopeUnits: string[];
    foundAt: Date;
    rectifyBy: Date;
    measures: string[];
    enforcementUnitIds: string[];
    penalty: string | null;
  },
): Promise<string> {
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<{ id: string }>(sql`
    insert into hazards (campaign_id, visit_id, place, sector, severity, description, responsible_unit_id,
      recording_unit_id, lead_unit_id, area_id, scope_units, status, found_at, rectify_by, first_rectify_by,
      measures, enforcement_unit_ids, penalty, created_by, created_at, updated_at)
    values (${h.campaignId}, ${h.visitId}, ${h.place}, ${h.sector}, ${h.severity}, ${h.description},
      ${h.responsibleUnitId}, ${h.recordingUnitId}, ${h.leadUnitId}, ${h.areaId}, ${ids(h.scopeUnits)}, 'open',
      ${h.foundAt.toISOString()}, ${h.rectifyBy.toISOString()}, ${h.rectifyBy.toISOString()},
      ${sql.raw(`array[${h.measures.map((m) => `'${m.replace(/'/g, '')}'`).join(',')}]::text[]`)},
      ${ids(h.enforcementUnitIds)}, ${h.penalty}, ${ctx.actor!.id},
      ${now}, ${now}) returning id`);
  return r.rows[0]!.id;
}

export async function markReported(ctx: Ctx, id: string, text: string, at: Date): Promise<void> {
  await ctx.tx.execute(sql`update hazards set status = 'reported', reported_at = ${at.toISOString()},
    rectification_text = ${text}, updated_at = ${ctx.clock.now().toISOString()} where id = ${id}`);
}

export async function markVerified(
  ctx: Ctx,
  id: string,
  v: { accepted: boolean; note: string | null; rectifyBy: Date | null },
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  if (v.accepted)
    await ctx.tx.execute(sql`update hazards set status = 'closed', closed_at = ${now}, verify_note = ${v.note},
      updated_at = ${now} where id = ${id}`);
  else
    await ctx.tx.execute(sql`update hazards set status = 'open', verify_note = ${v.note},
      sent_back_count = sent_back_count + 1,
      rectify_by = coalesce(${v.rectifyBy?.toISOString() ?? null}::timestamptz, rectify_by),
      updated_at = ${now} where id = ${id}`);
}

export async function insertPhoto(
  ctx: Ctx,
  p: { hazardId: string; filename: string; mime: string; data: Buffer },
): Promise<{ id: string; filename: string; mime: string; size: number }> {
  const r = await ctx.tx.execute<{ id: string; filename: string; mime: string; size: number }>(sql`
    insert into hazard_photos (hazard_id, filename, mime, size, data, at, user_id)
    values (${p.hazardId}, ${p.filename}, ${p.mime}, ${p.data.length}, ${p.data}, ${ctx.clock.now().toISOString()},
      ${ctx.actor!.id}) returning id, filename, mime, size`);
  return r.rows[0]!;
}

export async function getPhoto(
  ctx: Ctx,
  id: string,
): Promise<{ hazard_id: string; filename: string; data: Buffer } | null> {
  const r = await ctx.tx.execute<{ hazard_id: string; filename: string; data: Buffer }>(
    sql`select hazard_id, filename, data from hazard_photos where id = ${id}`,
  );
  return r.rows[0] ?? null;
}

/** Users acting for a unit (an area: its offices' users too) holding any of `roles` (all roles: null). */
export async function usersOf(
  ctx: Ctx,
  unitIds: Array<string | null>,
  roles: string[] | null,
): Promise<string[]> {
  const list = unitIds.filter((x): x is string => !!x);
  if (!list.length) return [];
  const r = await ctx.tx.execute<{ id: string }>(sql`
    select distinct u.id from users u join units un on un.id = u.unit_id
    where not u.disabled and not (u.roles = array['auditor']::text[])
      and (un.id = any(${ids(list)})
        or (un.parent_id = any(${ids(list)}) and un.kind in ('party_office','gov_office','duty_room','confidential_bureau')))
      ${roles ? sql`and u.roles && ${sql.raw(`array[${roles.map((x) => `'${x.replace(/'/g, '')}'`).join(',')}]::text[]`)}` : sql``}`);
  return r.rows.map((x) => x.id);
}

/** The unit acting as the area's safety committee office (安委办); absent: the area's government office. */
export async function safetyOfficeOf(ctx: Ctx, areaId: string): Promise<string | null> {
  const r = await ctx.tx.execute<{ id: string }>(sql`
    select coalesce(
      (select unit_id from area_safety_offices where area_id = ${areaId}),
      (select id from units where parent_id = ${areaId} and kind = 'gov_office' and not disabled order by created_at limit 1)
    ) as id`);
  return r.rows[0]?.id ?? null;
}

/**
 * The unit a major hazard's supervised task is issued by: the safety committee office (安委办) set for the area or,
 * none set there, for the nearest area above it that has one (a township's major hazard goes to the county's 安委办
 * when the township names none) — as the unit it acts for (an office of an area acts for the area); no area on the
 * way names one: the area itself (its offices issue).
 */
export async function safetyIssuerOf(ctx: Ctx, areaId: string): Promise<string> {
  const r = await ctx.tx.execute<{ id: string | null }>(sql`
    select (select case when u.kind in ('party_office','gov_office','duty_room','confidential_bureau')
                        then coalesce(u.parent_id, u.id) else u.id end
            from units a join area_safety_offices s on s.area_id = any(a.path) join units sa on sa.id = s.area_id
              join units u on u.id = s.unit_id
            where a.id = ${areaId}
            order by array_length(sa.path, 1) desc limit 1) as id`);
  return r.rows[0]?.id ?? areaId;
}

// ---- statistics --------------------------------------------------------------------------------------------

export async function hazardStats(
  ctx: Ctx,
  a: Actor,
  f: { from: Date; to: Date; campaignId?: string },
): Promise<{
  bySector: Array<{ sector: string; general: number; major: number }>;
  byMonth: Array<{ month: string; general: number; major: number }>;
  byUnit: Array<{
    unit_id: string;
    unit_name: string;
    due: number;
    on_time: number;
    overdue: number;
    open: number;
  }>;
}> {
  const now = ctx.clock.now().toISOString();
  const where = sql`${hazardVisibleSql(a)} and h.found_at >= ${f.from.toISOString()} and h.found_at < ${f.to.toISOString()}
    ${f.campaignId ? sql`and h.campaign_id = ${f.campaignId}` : sql``}`;
  const [s, m, u] = await Promise.all([
    ctx.tx.execute<any>(sql`select h.sector, count(*) filter (where h.severity = 'general')::int as general,
      count(*) filter (where h.severity = 'major')::int as major from hazards h where ${where} group by 1 order by 1`),
    ctx.tx.execute<any>(sql`select to_char(h.found_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
      count(*) filter (where h.severity = 'general')::int as general,
      count(*) filter (where h.severity = 'major')::int as major from hazards h where ${where} group by 1 order by 1`),
    // per responsible unit: hazards whose first deadline has passed or that were reported; on time = reported by it
    ctx.tx.execute<any>(sql`select h.responsible_unit_id as unit_id, ru.name as unit_name,
      count(*) filter (where h.first_rectify_by <= ${now} or h.reported_at is not null)::int as due,
      count(*) filter (where h.reported_at is not null and h.reported_at <= h.first_rectify_by and h.status <> 'open')::int as on_time,
      count(*) filter (where h.status = 'open' and h.rectify_by < ${now})::int as overdue,
      count(*) filter (where h.status <> 'closed')::int as open
      from hazards h join units ru on ru.id = h.responsible_unit_id where ${where} group by 1, 2 order by 2`),
  ]);
  return { bySector: s.rows, byMonth: m.rows, byUnit: u.rows };
}

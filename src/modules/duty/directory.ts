import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Ctx } from '../../floor/context.js';
import { subtreeScope } from '../auth/policy.js';
import { peopleByIds } from './common.js';
import { shiftsAt } from './on-duty.js';

const TIERS = ['principal', 'leader_in_charge', 'office_director'] as const;
const TIER_ZH: Record<string, string> = {
  principal: '主要负责人',
  leader_in_charge: '分管领导',
  office_director: '直接责任人',
};
const KIND_ZH: Record<string, string> = {
  area: '地区',
  party_office: '党委办公室',
  gov_office: '政府办公室',
  duty_room: '值班室',
  confidential_bureau: '机要局',
  emergency_office: '应急办',
  department: '部门',
  enterprise: '企业',
};
export const DEFECT_ZH: Record<string, string> = {
  no_duty_phone: '无值班电话',
  no_responsible_persons: '未登记责任人',
  responsible_without_phone: '责任人无联系电话',
  no_reachable_duty_staff: '值班人员均无联系方式',
};

/**
 * 值班通讯录: duty phones, the three-level responsible persons and who is on duty now, for every unit of
 * the caller's subtree. A unit nobody could be reached at is listed with its defects — a notification
 * that cannot reach anyone must be visible before it matters (联系畅通).
 */
export async function directory(ctx: Ctx, f: { q?: string; defectsOnly?: boolean } = {}) {
  const q = f.q?.trim();
  const units = await ctx.tx.execute<any>(sql`
    select u.id, u.name, u.kind, u.level, u.parent_id, u.duty_phone, u.fax, p.name as parent_name,
      (u.kind = 'duty_room' or (u.kind = 'party_office' and p.level = 'township')
        or exists (select 1 from duty_settings s where s.unit_id = u.id)) as keeps_duty
    from units u left join units p on p.id = u.parent_id
    where not u.disabled and ${subtreeScope(ctx.actor!, 'u')}
      ${
        q
          ? sql`and (u.name ilike ${`%${q}%`} or u.duty_phone like ${`%${q}%`}
          or exists (select 1 from responsible_persons r where r.unit_id = u.id and (r.name ilike ${`%${q}%`} or r.phone like ${`%${q}%`}))
          or exists (select 1 from users us where us.unit_id = u.id and not us.disabled and (us.name ilike ${`%${q}%`} or us.phone like ${`%${q}%`})))`
          : sql``
      }
    order by array_length(u.path, 1), u.division_code nulls last, u.kind, u.name limit 5000`);
  const ids = units.rows.map((u) => u.id as string);
  if (!ids.length) return [];
  const idList = sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );
  const resp = await ctx.tx.execute<any>(sql`
    select r.unit_id, r.tier, r.name, r.post, coalesce(nullif(r.phone, ''), us.phone) as phone
    from responsible_persons r left join users us on us.id = r.user_id
    where r.unit_id in (${idList})`);
  const staff = await ctx.tx.execute<any>(sql`
    select unit_id, count(*)::int as n,
      count(*) filter (where coalesce(phone, '') <> '' or coalesce(email, '') <> '')::int as reachable
    from users where not disabled and unit_id in (${idList}) and roles && array['duty_officer','duty_leader']::text[]
    group by unit_id`);
  const staffBy = new Map(staff.rows.map((s) => [s.unit_id, s]));
  const shifts = await shiftsAt(ctx, ids, ctx.clock.now());
  const people = await peopleByIds(
    ctx,
    shifts.flatMap((s) => [s.officerId, s.leaderId]),
  );
  const out = units.rows.map((u) => {
    const rs = resp.rows
      .filter((r) => r.unit_id === u.id)
      .sort((a, b) => TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier))
      .map((r) => ({
        tier: r.tier as string,
        name: r.name as string,
        post: (r.post ?? null) as string | null,
        phone: (r.phone ?? null) as string | null,
      }));
    const onDuty = shifts
      .filter((s) => s.unitId === u.id)
      .flatMap((s) => [
        s.officerId ? { role: 'officer' as const, ...people.get(s.officerId)! } : null,
        s.leaderId ? { role: 'leader' as const, ...people.get(s.leaderId)! } : null,
      ])
      .filter((x): x is NonNullable<typeof x> => !!x && !!x.id);
    const defects: string[] = [];
    if (u.kind !== 'area') {
      if (!u.duty_phone) defects.push('no_duty_phone');
      if (rs.length === 0) defects.push('no_responsible_persons');
      else if (rs.some((r) => !r.phone)) defects.push('responsible_without_phone');
      const st = staffBy.get(u.id);
      if (u.keeps_duty && st && st.n > 0 && st.reachable === 0) defects.push('no_reachable_duty_staff');
    }
    return {
      unit: {
        id: u.id as string,
        name: u.name as string,
        kind: u.kind as string,
        level: (u.level ?? null) as string | null,
        parentId: (u.parent_id ?? null) as string | null,
        parentName: (u.parent_name ?? null) as string | null,
      },
      dutyPhone: (u.duty_phone ?? null) as string | null,
      fax: (u.fax ?? null) as string | null,
      responsible: rs,
      onDuty,
      defects,
    };
  });
  return f.defectsOnly ? out.filter((x) => x.defects.length > 0) : out;
}

/** The directory as an Excel file: a header row in Chinese, one unit a row. */
export async function directoryWorkbook(ctx: Ctx, q?: string): Promise<Buffer> {
  const rows = await directory(ctx, { q });
  const wb = new ExcelJS.Workbook();
  wb.creator = '急报 Jibao';
  const ws = wb.addWorksheet('值班通讯录');
  ws.columns = [
    { header: '单位', key: 'name', width: 30 },
    { header: '类型', key: 'kind', width: 12 },
    { header: '上级', key: 'parent', width: 16 },
    { header: '值班电话', key: 'dutyPhone', width: 16 },
    { header: '传真', key: 'fax', width: 16 },
    ...TIERS.flatMap((t) => [
      { header: TIER_ZH[t], key: `${t}_name`, width: 12 },
      { header: `${TIER_ZH[t]}电话`, key: `${t}_phone`, width: 16 },
    ]),
    { header: '当前值班', key: 'onDuty', width: 28 },
    { header: '缺陷', key: 'defects', width: 30 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) {
    const rec: Record<string, string> = {
      name: r.unit.name,
      kind: KIND_ZH[r.unit.kind] ?? r.unit.kind,
      parent: r.unit.parentName ?? '',
      dutyPhone: r.dutyPhone ?? '',
      fax: r.fax ?? '',
      onDuty: r.onDuty
        .map(
          (p) => `${p.role === 'officer' ? '值班员' : '带班领导'} ${p.name}${p.phone ? ` ${p.phone}` : ''}`,
        )
        .join('；'),
      defects: r.defects.map((d) => DEFECT_ZH[d] ?? d).join('、'),
    };
    for (const p of r.responsible) {
      rec[`${p.tier}_name`] = p.name;
      rec[`${p.tier}_phone`] = p.phone ?? '';
    }
    ws.addRow(rec);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

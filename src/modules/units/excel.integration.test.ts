import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { UNIT_COLUMNS, USER_COLUMNS } from './excel.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  // an administrator of 东城区 only
  const r = await t.call('admin', 'POST', '/api/users', {
    username: 'dc_admin',
    password: 'Jibao@2026',
    name: '区管理员',
    unitId: await t.unitId('东城区委办公室'),
    roles: ['admin'],
  });
  expect(r.status).toBe(201);
});
afterAll(async () => t?.close());

async function xlsx(columns: readonly string[], rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow([...columns]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readXlsx(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0].eachRow((row) => {
    out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return out;
}

async function upload(user: string, url: string, file: Buffer, headers: Record<string, string> = {}) {
  const boundary = `----jibao${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="data.xlsx"\r\n` +
        'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const r = await t.app.inject({
    method: 'POST',
    url,
    payload,
    headers: {
      authorization: `Bearer ${await t.token(user)}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...headers,
    },
  });
  return { status: r.statusCode, body: r.json() };
}

async function download(user: string, url: string) {
  const r = await t.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${await t.token(user)}` },
  });
  return { status: r.statusCode, headers: r.headers, body: r.rawPayload };
}

const count = async (table: string) =>
  (await t.tdb.pool.query(`select count(*)::int as n from ${table}`)).rows[0].n as number;

describe('units from Excel', () => {
  it('the template has the Chinese header row and a sheet that explains the columns', async () => {
    const r = await download('admin', '/api/units/import-template.xlsx');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body as unknown as ArrayBuffer);
    expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual([...UNIT_COLUMNS]);
    expect(wb.worksheets.map((w) => w.name)).toContain('说明');
  });

  it('a file with bad rows is refused with their row numbers and columns, and nothing is written', async () => {
    const before = await count('units');
    const file = await xlsx(UNIT_COLUMNS, [
      ['南湖区', '区域', '县', '990100', '990103', '0991-1234567', ''], // row 2: good
      ['南湖区委办公室', '办公楼', '', '南湖区', '', '', ''], // row 3: unknown type
      ['北湖镇', '区域', '乡镇', '不存在的区', '990103101', '', ''], // row 4: parent not found
      ['南湖镇', '区域', '乡镇', '南湖区', '99010', '', ''], // row 5: bad code
    ]);
    const r = await upload('admin', '/api/units/import', file);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('import_invalid');
    expect(r.body.error.message).toContain('3 处错误');
    expect(r.body.error.details.errors).toEqual([
      { row: 3, column: '类型', message: expect.stringContaining('办公楼') },
      { row: 4, column: '上级单位', message: expect.stringContaining('不存在的区') },
      { row: 5, column: '行政区划代码', message: expect.stringContaining('6 位数字') },
    ]);
    expect(await count('units')).toBe(before);
    const en = await upload('admin', '/api/units/import', file, { 'accept-language': 'en' });
    expect(en.body.error.details.errors[0].message).toMatch(/Unknown type/);
  });

  it('a good file imports in one go, parents found by name or code in any row order, and is logged', async () => {
    const file = await xlsx(UNIT_COLUMNS, [
      ['南湖镇党政办', '党政办', '', '南湖镇', '', '0991-7000001', ''],
      ['南湖镇', '区域', '乡镇', '南湖区', '990103101', '', ''],
      ['南湖区', '区域', '县', '990100', '990103', '0991-1234567', '0991-1234568'],
      ['南湖区委办公室', '党委办公室', '', '990103', '', '0991-1234500', ''],
      ['南湖区教育局', '部门', '', '南湖区', '', '0991-1234599', ''],
    ]);
    const r = await upload('admin', '/api/units/import', file);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ rows: 5, created: 5, updated: 0, unchanged: 0 });
    const q = await t.tdb.pool.query(`
      select u.name, u.kind, u.level, u.division_code, u.duty_phone, p.name as parent from units u
      join units p on p.id = u.parent_id where u.name like '南湖%' order by u.name`);
    expect(q.rows).toEqual([
      {
        name: '南湖区',
        kind: 'area',
        level: 'county',
        division_code: '990103',
        duty_phone: '0991-1234567',
        parent: '示例市',
      },
      {
        name: '南湖区委办公室',
        kind: 'party_office',
        level: null,
        division_code: null,
        duty_phone: '0991-1234500',
        parent: '南湖区',
      },
      {
        name: '南湖区教育局',
        kind: 'department',
        level: null,
        division_code: null,
        duty_phone: '0991-1234599',
        parent: '南湖区',
      },
      {
        name: '南湖镇',
        kind: 'area',
        level: 'township',
        division_code: '990103101',
        duty_phone: null,
        parent: '南湖区',
      },
      {
        name: '南湖镇党政办',
        kind: 'party_office',
        level: null,
        division_code: null,
        duty_phone: '0991-7000001',
        parent: '南湖镇',
      },
    ]);
    const log = await t.tdb.pool.query(
      `select data from audit_log where action = 'units_imported' and at >= $1`,
      [t.clock.now()],
    );
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0].data).toMatchObject({ rows: 5, created: 5 });
    expect(log.rows[0].data.units.map((u: any) => u.name).sort()).toEqual(
      ['南湖区', '南湖区委办公室', '南湖区教育局', '南湖镇', '南湖镇党政办'].sort(),
    );
  });

  it('export → import changes nothing; an edited phone in the exported file updates that unit only', async () => {
    const exported = await download('admin', '/api/units/export.xlsx');
    expect(exported.status).toBe(200);
    const rows = await readXlsx(exported.body);
    expect(rows[0]).toEqual([...UNIT_COLUMNS]);
    const xc = rows.find((r) => r[0] === '西山县')!;
    expect(xc.slice(1, 5)).toEqual(['区域', '县', '990100', '990121']);
    const before = await count('units');
    const again = await upload('admin', '/api/units/import', exported.body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: rows.length - 1 });
    expect(await count('units')).toBe(before);

    const edited = rows
      .slice(1)
      .map((r) => (r[0] === '南湖区教育局' ? [...r.slice(0, 5), '0991-5555555', r[6]] : r));
    const r = await upload('admin', '/api/units/import', await xlsx(UNIT_COLUMNS, edited));
    expect(r.body).toMatchObject({ created: 0, updated: 1 });
    const phone = await t.tdb.pool.query(`select duty_phone from units where name = '南湖区教育局'`);
    expect(phone.rows[0].duty_phone).toBe('0991-5555555');
  });

  it('an administrator of a district exports only its subtree and cannot import outside it', async () => {
    const exported = await download('dc_admin', '/api/units/export.xlsx');
    const names = (await readXlsx(exported.body)).slice(1).map((r) => r[0]);
    expect(names).toContain('城关街道');
    expect(names).not.toContain('河西镇');
    expect(names).not.toContain('示例市');
    // its own export imports unchanged (the district's own row names a parent above it)
    const same = await upload('dc_admin', '/api/units/import', exported.body);
    expect(same.status).toBe(200);
    expect(same.body.created).toBe(0);
    const outside = await upload(
      'dc_admin',
      '/api/units/import',
      await xlsx(UNIT_COLUMNS, [['河西镇卫生院', '企业', '', '河西镇', '', '', '']]),
    );
    expect(outside.status).toBe(422);
    expect(outside.body.error.details.errors[0]).toMatchObject({ row: 2, column: '上级单位' });
    expect((await upload('cgz_xxy', '/api/units/import', exported.body)).status).toBe(403);
    expect((await download('cgz_xxy', '/api/units/export.xlsx')).status).toBe(403);
  });

  it('refuses a request without a file and a file that is not Excel', async () => {
    const none = await t.call('admin', 'POST', '/api/units/import', {});
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('import_no_file');
    const junk = await upload('admin', '/api/units/import', Buffer.from('not a workbook'));
    expect(junk.status).toBe(400);
    expect(junk.body.error.code).toBe('import_bad_file');
    const noHeader = await upload(
      'admin',
      '/api/units/import',
      await xlsx(['名称', '类型'], [['甲', '区域']]),
    );
    expect(noHeader.status).toBe(422);
    expect(noHeader.body.error.details.errors[0]).toMatchObject({ row: 1, column: '级别' });
  });
});

describe('users from Excel', () => {
  it('a bad row is refused with its row number; nothing is written', async () => {
    const before = await count('users');
    const file = await xlsx(USER_COLUMNS, [
      ['nh_xxy', '钱多多', '南湖镇党政办', '信息员', 'Nanhu#Desk-2026', '13900000001', '', '专职'],
      ['nh_ld', '孙书记', '南湖镇党政办', '分管领导、书记', 'Nanhu#Desk-2026', '', '', ''],
      ['nh_x2', '李四', '南湖镇党政办', '信息员', '', '', 'not-an-email', '兼职'],
    ]);
    const r = await upload('admin', '/api/users/import', file);
    expect(r.status).toBe(422);
    expect(r.body.error.details.errors).toEqual([
      { row: 3, column: '角色', message: expect.stringContaining('书记') },
      { row: 4, column: '邮箱', message: '邮箱格式不对。' },
      { row: 4, column: '初始密码', message: '新用户必须填写初始密码。' },
    ]);
    expect(await count('users')).toBe(before);
  });

  it('a good file creates the users with roles and officer types; they can sign in', async () => {
    const file = await xlsx(USER_COLUMNS, [
      [
        'nh_xxy',
        '钱多多',
        '南湖镇党政办',
        '信息员',
        'Nanhu#Desk-2026',
        '13900000001',
        'qdd@example.cn',
        '专职',
      ],
      ['nh_ld', '孙书记', '南湖镇党政办', '分管领导、主要负责人', 'Nanhu#Desk-2026', '', '', ''],
      ['nh_qu', '区值班', '990103', '值班员', 'Nanhu#Desk-2026', '', '', ''],
    ]);
    const r = await upload('admin', '/api/users/import', file);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ rows: 3, created: 3, updated: 0, unchanged: 0 });
    const u = await t.tdb.pool.query(
      `select u.username, u.roles, u.officer_type, un.name as unit from users u join units un on un.id = u.unit_id
       where username like 'nh_%' order by username`,
    );
    expect(u.rows).toEqual([
      { username: 'nh_ld', roles: ['approver', 'principal'], officer_type: null, unit: '南湖镇党政办' },
      { username: 'nh_qu', roles: ['duty_officer'], officer_type: null, unit: '南湖区' },
      { username: 'nh_xxy', roles: ['reporter'], officer_type: 'full_time', unit: '南湖镇党政办' },
    ]);
    expect(await t.token('nh_xxy', 'Nanhu#Desk-2026')).toBeTruthy();
  });

  it('export → import round trip changes nothing; passwords are never exported', async () => {
    const exported = await download('admin', '/api/users/export.xlsx');
    const rows = await readXlsx(exported.body);
    expect(rows[0]).toEqual([...USER_COLUMNS]);
    const xxy = rows.find((r) => r[0] === 'nh_xxy')!;
    expect(xxy).toEqual([
      'nh_xxy',
      '钱多多',
      '南湖镇党政办',
      '信息员',
      '',
      '13900000001',
      'qdd@example.cn',
      '专职',
    ]);
    const ld = rows.find((r) => r[0] === 'nh_ld')!;
    expect(ld[3]).toBe('分管领导、主要负责人');
    const again = await upload('admin', '/api/users/import', exported.body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: rows.length - 1 });
    // the imported password still works (an empty 初始密码 leaves it alone)
    const login = await t.call(null, 'POST', '/api/auth/login', {
      username: 'nh_ld',
      password: 'Nanhu#Desk-2026',
    });
    expect(login.status).toBe(200);
  });
});

import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_COLUMNS } from '../../src/modules/units/excel.js';
import { startServer } from '../../src/server/server.js';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';
import { createTestDb } from '../helpers/db.js';

/**
 * Issue #9, point 8 (passwords): at least 10 characters, not the username, not a common password (with the
 * Chinese patterns) — when an administrator creates a user or resets a password, when people change their
 * own, in an Excel import (reported by row), and for JIBAO_ADMIN_PASSWORD (the server refuses to start).
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

const countUsers = async () => (await t.tdb.pool.query('select count(*)::int n from users')).rows[0].n;

async function createUser(password: string, username = 'new_officer', lang?: string) {
  return t.call(
    'admin',
    'POST',
    '/api/users',
    { username, password, name: '新信息员', unitId: await t.unitId('城关街道党政办'), roles: ['reporter'] },
    lang ? { 'accept-language': lang } : {},
  );
}

describe('an administrator setting a password', () => {
  it('a six-digit password such as 123456 is refused with “at least 10 characters”; no user is created', async () => {
    const before = await countUsers();
    const r = await createUser('123456');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('password_too_short');
    expect(r.body.error.message).toBe('密码至少 10 位。');
    expect(r.body.error.details.problems).toContain('too_short');
    expect(await countUsers()).toBe(before);
  });

  it('Chinese common passwords of 10 characters or more are refused as too common', async () => {
    for (const pw of ['woaini1314', 'qq123456789', '5201314520', 'Zhang@19900101', 'a1b2c3d4e5f6']) {
      const r = await createUser(pw);
      expect(r.status, pw).toBe(400);
      expect(r.body.error.code, pw).toBe('password_too_common');
      expect(r.body.error.message).toContain('密码过于常见');
    }
    const en = await createUser('woaini1314', 'new_officer', 'en');
    expect(en.body.error.message).toMatch(/too common/);
  });

  it('the username as password is refused', async () => {
    const r = await createUser('duty_officer_07', 'duty_officer_07');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('password_same_as_username');
    expect(r.body.error.message).toBe('密码不能与用户名相同，也不能以用户名为主体。');
  });

  it('the demo password and a strong one are accepted', async () => {
    expect((await createUser(DEMO_PASSWORD, 'demo_pw_ok')).status).toBe(201);
    expect((await createUser('Night#Shift-0417', 'strong_pw_ok')).status).toBe(201);
  });

  it('a reset to a weak password is refused and the old password keeps working', async () => {
    const id = (await t.tdb.pool.query(`select id from users where username = 'cgz_fgld'`)).rows[0].id;
    const r = await t.call('admin', 'POST', `/api/users/${id}/reset-password`, { password: '5201314' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('password_too_short');
    const login = await t.call(null, 'POST', '/api/auth/login', {
      username: 'cgz_fgld',
      password: DEMO_PASSWORD,
    });
    expect(login.status).toBe(200);
  });
});

describe('changing one’s own password', () => {
  it('a common new password is refused and the current one stays', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/auth/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'iloveyou1314',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('password_too_common');
    const login = await t.call(null, 'POST', '/api/auth/login', {
      username: 'dc_xxk',
      password: DEMO_PASSWORD,
    });
    expect(login.status).toBe(200);
  });

  it('a short new password gets the clear message, not a generic validation error', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/auth/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'Ab#12345',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('password_too_short');
  });
});

describe('importing users from Excel', () => {
  it('weak initial passwords are refused by row and column with the reason; nothing is imported', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('用户');
    ws.addRow([...USER_COLUMNS]);
    ws.addRow(['im_ok', '张三', '城关街道党政办', '信息员', 'Import#Desk-2026', '', '', '']);
    ws.addRow(['im_short', '李四', '城关街道党政办', '信息员', '123456', '', '', '']);
    ws.addRow(['im_common', '王五', '城关街道党政办', '信息员', 'woaini1314', '', '', '']);
    ws.addRow(['im_same_name', '赵六', '城关街道党政办', '信息员', 'im_same_name', '', '', '']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const boundary = '----jibaoPasswords';
    const before = await countUsers();
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/users/import',
      headers: {
        authorization: `Bearer ${await t.token('admin')}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="users.xlsx"\r\n` +
            'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
        ),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(r.statusCode).toBe(422);
    const errors = r.json().error.details.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        { row: 3, column: '初始密码', message: '初始密码至少 10 位。' },
        { row: 4, column: '初始密码', message: expect.stringContaining('过于常见') },
        { row: 5, column: '初始密码', message: expect.stringContaining('用户名') },
      ]),
    );
    expect(errors.some((e: any) => e.row === 2)).toBe(false);
    expect(await countUsers()).toBe(before);
  });
});

describe('JIBAO_ADMIN_PASSWORD', () => {
  it('the server refuses to start with a weak administrator password, saying why', async () => {
    const db = await createTestDb({ demo: false });
    try {
      for (const weak of ['admin123', 'admin@2026', 'qq123456789'])
        await expect(
          startServer(
            {
              port: 0,
              host: '127.0.0.1',
              databaseUrl: db.url,
              dataDir: '/nonexistent',
              demo: false,
              adminPassword: weak,
            },
            { workers: false, log: () => {} },
          ),
          weak,
        ).rejects.toThrow(/JIBAO_ADMIN_PASSWORD/);
    } finally {
      await db.drop();
    }
  });
});

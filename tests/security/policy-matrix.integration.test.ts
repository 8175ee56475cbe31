/**
 * The policy matrix: who may do what, written here by hand from SPEC §1 (roles and what each may do) and the
 * 三员分立 of docs/SECURITY.md (the auditor reads the registration log and changes nothing) — NOT read from the
 * policy tables — and exercised through HTTP on every declared route with a demo user of each role.
 *
 * - A role that may not attempt an action gets 403 `forbidden` (an auditor's write: 403 `read_only_role`), before
 *   its body is read: the sweep sends empty bodies and random ids, so an allowed role gets a validation error or
 *   404, never 403.
 * - A record outside the caller's tree is 404 where its existence must not leak.
 * - Answers carry `can: {…}` for the caller, and what they promise the API keeps.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/floor/context.js';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';

const ROLES: Role[] = [
  'reporter',
  'approver',
  'principal',
  'duty_officer',
  'duty_leader',
  'editor',
  'leader',
  'admin',
  'auditor',
];
const ALL = ROLES;
const allBut = (...no: Role[]) => ROLES.filter((r) => !no.includes(r));

/** A demo person holding exactly one role (the auditor is created through the admin API). */
const AS: Record<Role, string> = {
  reporter: 'cgz_xxy', // 城关街道党政办 信息员
  approver: 'cgz_fgld', // 城关街道党政办 分管领导
  principal: 'cgz_zyfzr', // 城关街道党政办 主要负责人
  duty_officer: 'dc_zby', // 东城区 总值班室 值班员
  duty_leader: 'dc_dbld', // 东城区 总值班室 带班领导
  editor: 'sj_xxk', // 省委办公厅 信息处
  leader: 'dc_ld', // 东城区 区委书记
  admin: 'admin', // root administrator
  auditor: 'mx_auditor', // 审计管理员 (三员分立)
};

/**
 * SPEC §1, action by action: the roles that may attempt it. "ALL": every signed-in person — what they reach is
 * then decided by the record (their own, their tree), never by the role.
 */
const MAY: Record<string, readonly Role[]> = {
  // one's own session and account
  'auth.me': ALL,
  'auth.changePassword': ALL,
  'auth.signOut': ALL,
  // 管理员: manage units, users, rules, templates
  'units.read': ALL, // visibility follows the tree
  'units.create': ['admin'],
  'units.edit': ['admin'],
  'units.import': ['admin'],
  'units.export': ['admin'],
  'units.fromDivision': ['admin'],
  // 三级责任人: kept by the administrator or the unit's principal
  'units.keepResponsible': ['admin', 'principal'],
  // people are looked up by everyone who works with them (rosters, forwarding); not by the auditor
  'users.list': allBut('auditor'),
  'users.create': ['admin'],
  'users.edit': ['admin'],
  'users.resetPassword': ['admin'],
  'users.unlock': ['admin'],
  'users.import': ['admin'],
  'users.export': ['admin'],
  // 值班员 keeps the duty log and the roster with the 带班领导, the principal and the administrator;
  // 带班领导 decides; the person on a shift acts on it (decided on the shift, not the role)
  'duty.read': ALL,
  'duty.edit': ['duty_officer', 'duty_leader', 'principal', 'admin'],
  'duty.publish': ['duty_officer', 'duty_leader', 'principal', 'admin'],
  'duty.closeItem': ['duty_officer', 'duty_leader', 'principal', 'admin'],
  'duty.decideSwap': ['duty_leader', 'principal', 'admin'],
  'duty.decideOwnSwap': ['admin'], // (not a route: judged inside the decision)
  'duty.requestSwap': ALL,
  'duty.checkIn': ALL,
  'duty.log': ALL,
  'duty.handOver': ALL,
  'duty.confirmHandover': ALL,
  'duty.startSpotCheck': ['duty_officer', 'duty_leader', 'leader', 'admin'],
  'duty.answerSpotCheck': ALL,
  // notifications: one's own for everyone; endpoints and other people's rules for the administrator
  'notify.own': ALL,
  'notify.manageEndpoints': ['admin'],
  'notify.managePreferencesOf': ['admin'],
  // accountability: the log is verified by those who answer for it and the auditor
  'accountability.verifyLog': ['admin', 'leader', 'editor', 'principal', 'auditor'],
  'accountability.readLog': ALL,
  'accountability.readStreams': ['admin', 'auditor'],
  'accountability.trace': ALL,
  'accountability.readStats': ALL,
  'accountability.readNotices': ALL,
  // 信息科 (editor) and the leader of a level issue notices and record findings
  'accountability.issueNotice': ['editor', 'leader'],
  'accountability.recordFinding': ['editor', 'leader'],
  // rules: read by all, saved by the administrator
  'rules.read': ALL,
  'rules.save': ['admin'],
  // 零报告: declared by the administrator, sent by a unit's reporting staff
  'timeliness.read': ALL,
  'timeliness.declarePeriod': ['admin'],
  'timeliness.sendZeroReport': ['reporter', 'editor', 'duty_officer', 'duty_leader', 'approver', 'principal'],
  'jobs.follow': ALL,
  'stream.listen': ALL,
  'emergency.readCategories': ALL,
  'emergency.proposeLevel': ALL,
  'emergency.inbox': ALL,
  // 转报上级: the people who write and forward reports (信息员, 信息科, 值班员, 带班领导, the approving leaders)
  'upward.draft': ['reporter', 'editor', 'duty_officer', 'duty_leader', 'approver', 'principal'],
  // what is due next for one's own unit
  'obligations.list': ALL,
  // an outgoing call is confirmed or disputed by the people of the called area's offices (not the administrator)
  'calls.confirm': allBut('admin', 'auditor'),
  'calls.dispute': allBut('admin', 'auditor'),
  // 督查督办 (issue 14): issued by editors, leaders and principals of an area's offices; progressed by the owner
  // unit's people (decided on the task); seen by the owner and the areas above
  'tasks.list': ALL,
  'tasks.view': ALL,
  'tasks.viewCollection': ALL,
  'tasks.issue': ['editor', 'leader', 'principal'],
  'tasks.progress': ALL,
  'tasks.reopen': ['editor', 'leader', 'principal'],
  // 大检查 (issue 14): campaigns by editors or admins of an area's offices; visits, hazards, rectification and
  // verification decided by the unit acted for (campaign, responsible unit, recording unit, lead department)
  'inspections.read': ALL,
  'inspections.createCampaign': ['editor', 'admin'],
  'inspections.recordVisit': ALL,
  'inspections.recordHazard': ALL,
  'inspections.rectify': ALL,
  'inspections.verify': ALL,
  'inspections.addPhoto': ALL,
  'inspections.listTipoffs': ALL,
  // tip-offs are assigned by the offices' duty, information and leading people
  'inspections.assignTipoff': ['editor', 'duty_officer', 'duty_leader', 'leader', 'principal', 'admin'],
  'inspections.handleTipoff': ALL,
  // 重大危险源: registered by the offices' information editors and administrators; checked in by the responsible
  // unit's people and fed by monitoring systems' accounts (the record decides)
  'inspections.registerSource': ['editor', 'admin'],
  'inspections.checkSource': ALL,
  'inspections.postReading': ALL,
  // 安委办 is an area setting: administrators
  'inspections.setSafetyOffice': ['admin'],
  // 一网五库 (issue 13): registers and plans are kept by the 信息科 (editor) and the administrator of the owning
  // unit; every signed-in person reads what their county-level area and the areas below hold (decided on the
  // record); contact phones are shown by the record (not a route)
  'resources.read': ALL,
  'resources.keep': ['editor', 'admin'],
  'resources.moveStock': ['editor', 'admin'],
  // supplies go to an event on the word of the principal or the people on duty (值班员, 带班领导)
  'resources.dispatch': ['principal', 'duty_leader', 'duty_officer'],
  // anyone working on an event may ask for supplies (not the administrator, not the auditor)
  'resources.requestSupplies': allBut('admin', 'auditor'),
  'resources.seePhones': ALL,
  'plans.read': ALL,
  'plans.create': ['editor', 'admin'],
  // a plan is set in motion by the leaders of the level: 领导, 主要负责人, 带班领导
  'plans.activate': ['leader', 'principal', 'duty_leader'],
  // a revised plan is approved for publication (审定) by the leaders who answer for it
  'plans.publish': ['leader', 'principal'],
  // 政务信息 (issue 12): 信息员 write topics and pieces for their unit; its 分管领导 or 主要负责人 approve (审签) them,
  // as reports; 信息科 (editor) of the receiving office edits, returns, adopts, commissions, screens topics and keeps
  // the publications; a 领导 records instructions (批示). Lists, scores and daily issues are read by everyone in
  // their tree (decided on the record: drafts stay in the writing unit, special reports with their leaders).
  'affairs.read': ALL,
  'affairs.viewPiece': ALL,
  'affairs.readIssue': ALL,
  'affairs.writePiece': ['reporter'],
  'affairs.submitPiece': ['reporter'],
  'affairs.editPiece': ['reporter', 'editor'],
  'affairs.approvePiece': ['approver', 'principal'],
  'affairs.returnPiece': ['approver', 'principal', 'editor'],
  'affairs.adopt': ['editor'],
  'affairs.instruct': ['editor', 'leader'],
  'affairs.commission': ['editor'],
  'affairs.recordDelivery': ['editor'],
  'affairs.proposeTopic': ['reporter'],
  'affairs.screenTopic': ['editor'],
  'affairs.setPriorities': ['editor'],
  'affairs.publish': ['editor'],
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes the sweep does not call: signing out ends the session the sweep uses; the stream never ends. */
const SKIP = new Set(['POST /api/auth/logout', 'GET /api/stream']);

let t: TestApp;
const id: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of ['全国', '城关街道', '东城区', '西山县委办公室', '东城区委区政府总值班室', '西山县'])
    id[n] = await t.unitId(n);
  const users = await t.tdb.pool.query(`select id, username from users`);
  for (const u of users.rows) id[u.username] = u.id;
  const mk = async (username: string, unit: string, roles: Role[]) => {
    const r = await t.call('admin', 'POST', '/api/users', {
      username,
      password: DEMO_PASSWORD,
      name: username,
      unitId: id[unit],
      roles,
    });
    expect(r.status, username).toBe(201);
    id[username] = r.body.id;
  };
  await mk('mx_auditor', '全国', ['auditor']);
  // an administrator of another county: 西山县
  await mk('mx_xs_admin', '西山县委办公室', ['admin']);
});
afterAll(async () => t?.close());

function concrete(url: string): string {
  return url
    .replace(':kind', 'timeliness')
    .replace(':version', '1')
    .replace(':key', 'national_day_2026')
    .replace(':code', '110000')
    .replace(':areaId', randomUUID())
    .replace(/:id/g, randomUUID());
}

describe('every declared route answers each role as SPEC §1 says', () => {
  it('the matrix names every declared action (a new action needs its row here)', () => {
    const refs = new Set(t.app.routeTable.filter((r) => r.policy).map((r) => r.policy!));
    const missing = [...refs].filter((r) => !(r in MAY));
    expect(missing).toEqual([]);
    expect(refs.size).toBeGreaterThan(40);
  });

  it('a role refused is 403 before its request is read; a role allowed is never 403', async () => {
    const routes = t.app.routeTable.filter(
      (r) => r.policy && r.method !== 'HEAD' && !SKIP.has(`${r.method} ${r.url}`),
    );
    const wrong: string[] = [];
    let calls = 0;
    for (const route of routes)
      for (const role of ROLES) {
        const url = concrete(route.url);
        const res = await t.call(
          AS[role],
          route.method as 'GET',
          url,
          WRITES.has(route.method) ? {} : undefined,
        );
        calls++;
        const allowed = MAY[route.policy!]!.includes(role);
        const where = `${role} ${route.method} ${route.url} (${route.policy}) → ${res.status} ${res.body?.error?.code ?? ''}`;
        if (role === 'auditor' && WRITES.has(route.method) && route.policy !== 'auth.changePassword') {
          // 三员分立: whatever the route, an auditor's write is refused as read-only
          if (res.status !== 403 || res.body.error.code !== 'read_only_role') wrong.push(where);
        } else if (allowed) {
          if (res.status === 403 || res.status === 401 || res.status >= 500) wrong.push(where);
        } else if (res.status !== 403 || res.body.error.code !== 'forbidden') wrong.push(where);
      }
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThan(500);
  });

  it('a refused role changes nothing, even with a request that would otherwise succeed', async () => {
    const before = await t.tdb.pool.query('select count(*)::int as n from audit_log');
    for (const role of allBut('admin')) {
      const r = await t.call(AS[role], 'POST', '/api/units', {
        name: `矩阵测试单位-${role}`,
        kind: 'department',
        parentId: id['东城区'],
      });
      expect(r.status, role).toBe(403);
    }
    const after = await t.tdb.pool.query('select count(*)::int as n from audit_log');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const units = await t.tdb.pool.query(`select 1 from units where name like '矩阵测试单位-%'`);
    expect(units.rowCount).toBe(0);
  });

  it('refusals are in the contract shape and the caller’s language', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/notices',
      payload: {},
      headers: { authorization: `Bearer ${await t.token('dc_zby')}`, 'accept-language': 'en' },
    });
    expect(r.statusCode).toBe(403);
    const body = r.json();
    expect(body.error.code).toBe('forbidden');
    expect(body.error.details.requiredRoles).toEqual(expect.arrayContaining(['editor', 'leader']));
    expect(body.error.message).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('records outside one’s tree', () => {
  it('another county’s administrator gets 404 for this county’s people, units, rosters and log streams', async () => {
    const xs = 'mx_xs_admin';
    expect((await t.call(xs, 'GET', `/api/notifications/users/${id.cgz_xxy}/preferences`)).status).toBe(404);
    expect((await t.call('admin', 'GET', `/api/notifications/users/${id.cgz_xxy}/preferences`)).status).toBe(
      200,
    );
    expect((await t.call(xs, 'GET', `/api/audit/log?stream=user:${id.cgz_xxy}`)).status).toBe(404);
    const roster = `/api/duty/roster?unitId=${id['东城区委区政府总值班室']}&month=2026-11`;
    expect((await t.call(xs, 'GET', roster)).status).toBe(404);
    const shift = await t.call(xs, 'POST', '/api/duty/shifts', {
      unitId: id['东城区委区政府总值班室'],
      day: '2026-11-30',
      shiftCode: 'day',
    });
    expect(shift.status).toBe(404);
  });

  it('a township officer does not see a sibling county (404), and its users list holds only its tree', async () => {
    expect((await t.call('cgz_xxy', 'GET', `/api/units/${id['西山县']}`)).status).toBe(404);
    const users = await t.call('cgz_xxy', 'GET', '/api/users');
    expect(users.status).toBe(200);
    expect(users.body.items.map((u: any) => u.username)).not.toContain('dc_zby');
  });

  it('a principal keeps their own unit’s responsible persons, not the county’s they can see (403)', async () => {
    const r = await t.call('cgz_zyfzr', 'PUT', `/api/units/${id['东城区']}/responsible-persons`, {
      persons: [],
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
  });

  it('someone else’s background job is 404', async () => {
    const job = await t.tdb.pool.query(
      `insert into jobs (kind, actor_id, state, created_at) values ('test', $1, 'done', now()) returning id`,
      [id.admin],
    );
    const jid = job.rows[0].id;
    expect((await t.call('admin', 'GET', `/api/jobs/${jid}`)).status).toBe(200);
    const other = await t.call('mx_xs_admin', 'GET', `/api/jobs/${jid}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
  });
});

describe('answers say what the caller may do, and the API keeps the promise', () => {
  const room = () => id['东城区委区政府总值班室'];

  it('the duty roster: can.edit / can.publish / can.decideSwap per role, and edit is refused exactly when false', async () => {
    const expected: Record<string, { edit: boolean; publish: boolean; decideSwap: boolean }> = {
      dc_zby: { edit: true, publish: true, decideSwap: false }, // duty officer
      dc_dbld: { edit: true, publish: true, decideSwap: true }, // leader on duty
      dc_ld: { edit: false, publish: false, decideSwap: false }, // leader of the level: reads
      admin: { edit: true, publish: true, decideSwap: true },
      mx_auditor: { edit: false, publish: false, decideSwap: false },
    };
    for (const [user, can] of Object.entries(expected)) {
      const r = await t.call(user, 'GET', `/api/duty/roster?unitId=${room()}&month=2026-11`);
      expect(r.status, user).toBe(200);
      expect(r.body.can, user).toEqual(can);
      // the button's request: refused exactly when the answer said no
      const put = await t.call(user, 'POST', '/api/duty/shifts', {
        unitId: room(),
        day: '2026-11-30',
        shiftCode: 'day',
      });
      if (can.edit) expect(put.status, user).toBe(200);
      else expect(put.status, user).toBe(403);
    }
  });

  it('the user list: can.edit / can.unlock for administrators over the person only', async () => {
    const asAdmin = await t.call('admin', 'GET', '/api/users');
    const row = asAdmin.body.items.find((u: any) => u.username === 'cgz_xxy');
    expect(row.can).toEqual({ edit: true, resetPassword: true, unlock: true });
    const asXs = await t.call('mx_xs_admin', 'GET', '/api/users');
    expect(asXs.body.items.every((u: any) => u.can.edit)).toBe(true); // only their own county's people
    expect(asXs.body.items.map((u: any) => u.username)).not.toContain('cgz_xxy');
    const asReporter = await t.call('cgz_xxy', 'GET', '/api/users');
    expect(asReporter.body.items.length).toBeGreaterThan(0);
    expect(asReporter.body.items.some((u: any) => u.can.edit || u.can.unlock)).toBe(false);
    const refused = await t.call('cgz_xxy', 'POST', `/api/users/${id.cgz_xxy2}/unlock`);
    expect(refused.status).toBe(403);
  });

  it('notices, zero-report periods and rule sets say whether the caller may issue, declare or save', async () => {
    for (const role of ROLES) {
      const user = AS[role];
      const n = await t.call(user, 'GET', '/api/notices');
      expect(n.body.can.issue, role).toBe(MAY['accountability.issueNotice']!.includes(role));
      const z = await t.call(user, 'GET', '/api/zero-report-periods');
      expect(z.body.can.declare, role).toBe(MAY['timeliness.declarePeriod']!.includes(role));
      expect(z.body.can.send, role).toBe(MAY['timeliness.sendZeroReport']!.includes(role));
      const rs = await t.call(user, 'GET', '/api/rule-sets/timeliness');
      expect(rs.body.can.save, role).toBe(MAY['rules.save']!.includes(role));
    }
  });
});

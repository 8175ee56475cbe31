import type pg from 'pg';
import type { Db } from '../db/index.js';
import { ManualClock } from '../floor/clock.js';
import { sweepAll } from '../floor/timers.js';
import { DEMO_PASSWORD } from '../modules/units/demo.js';
import { buildApp } from './app.js';
import { TIMERS } from './modules.js';

/**
 * Demo activity (first start with demo data): two years of reporting history and a few events open right now —
 * one overdue, one with a leader's instruction awaiting feedback, one closed yesterday with its whole trace —
 * this month's duty roster, and confirmed responsible persons for most units. All of it is done the way users
 * do it: through the API as the demo users, on a manual clock that walks from two years ago to now, with the
 * deadline sweep run at every step, so every judgment (met, late, missed), statistic and registration-log
 * entry is the real code's and `npm run audit:verify` passes.
 */
export async function loadDemoActivity(deps: {
  db: Db;
  pool: pg.Pool;
  now: Date;
  log?: (m: string) => void;
}): Promise<{ events: number; calls: number }> {
  const real = deps.now.getTime();
  const clock = new ManualClock(new Date(real - 740 * DAY));
  const app = await buildApp({ db: deps.db, pool: deps.pool, clock, webDir: null });
  await app.ready();
  let calls = 0;
  const tokens = new Map<string, { token: string; at: number }>();
  const token = async (user: string) => {
    const hit = tokens.get(user);
    // sessions last 7 days; the clock walks two years: sign in again when the last sign-in is 5 days old
    if (hit && clock.now().getTime() - hit.at < 5 * DAY) return hit.token;
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user, password: DEMO_PASSWORD },
    });
    if (r.statusCode !== 200) throw new Error(`demo sign-in ${user}: ${r.statusCode} ${r.body}`);
    const t = { token: r.json().token as string, at: clock.now().getTime() };
    tokens.set(user, t);
    return t.token;
  };
  const call = async (user: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    calls++;
    const r = await app.inject({
      method,
      url,
      payload: body as any,
      headers: { authorization: `Bearer ${await token(user)}`, 'accept-language': 'zh-CN' },
    });
    if (r.statusCode >= 300) throw new Error(`demo ${user} ${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.body ? r.json() : null;
  };
  /** Move the clock forward (never back) and let the deadline sweep judge what fell due meanwhile. */
  const at = async (t: number) => {
    if (t > clock.now().getTime()) clock.set(new Date(t));
    await sweepAll({ db: deps.db, clock, timers: TIMERS });
  };
  const iso = (t: number) => new Date(t).toISOString();
  const unitIds = new Map<string, string>();
  for (const u of (await call('admin', 'GET', '/api/units')).items as Array<{ id: string; name: string }>)
    unitIds.set(u.name, u.id);
  const U = (name: string) => {
    const id = unitIds.get(name);
    if (!id) throw new Error(`demo unit missing: ${name}`);
    return id;
  };

  try {
    await at(clock.now().getTime());
    // two years of history — one event a month the year before last, two a month in the past year, so that
    // year-on-year figures compare something — reported in time by the township (one in six late), signed by
    // the county's duty room and reported upward by its information section; most closed with a final report
    let events = 0;
    const occurrences = [
      ...Array.from({ length: 12 }, (_, i) => real - 730 * DAY + i * 30 * DAY),
      ...Array.from({ length: 24 }, (_, i) => real - 365 * DAY + i * 15 * DAY),
    ];
    for (const [i, t] of occurrences.entries()) {
      const h = HISTORY_EVENTS[i % HISTORY_EVENTS.length];
      // Beijing daytime and nights alike
      const occurred = t + ((i * 7) % 24) * HOUR;
      if (occurred > real - 3 * DAY) break;
      const late = i % 6 === 5;
      await at(occurred + (late ? 95 : 12) * MINUTE);
      await reportFromTown(h, occurred, { final: i % 4 !== 3, late });
      events++;
    }

    await at(real - 30 * DAY);
    // responsible persons (三级责任人) confirmed a month ago for every area but one township (石桥乡) — the
    // directory's defect list then has something true to show
    for (const name of ['示例市', '东城区', '西山县', '城关街道', '东湖街道', '河西镇']) {
      await call('admin', 'PUT', `/api/units/${U(name)}/responsible-persons`, {
        persons: [
          { tier: 'principal', name: PEOPLE[name][0], post: '主要负责同志', phone: PEOPLE[name][3] },
          { tier: 'leader_in_charge', name: PEOPLE[name][1], post: '分管负责同志', phone: PEOPLE[name][4] },
          { tier: 'office_director', name: PEOPLE[name][2], post: '办公室主任', phone: PEOPLE[name][5] },
        ],
      });
      await call('admin', 'POST', `/api/units/${U(name)}/responsible-persons/confirm`);
    }
    // this month's duty roster of the county duty room: day and night shifts, the leader on duty for each
    const month = beijingMonth(real);
    const room = U('东城区委区政府总值班室');
    await at(real - 40 * HOUR);
    const users = (await call('admin', 'GET', '/api/users')).items as Array<{
      id: string;
      username: string;
    }>;
    const uid = (name: string) => users.find((u) => u.username === name)?.id;
    const items = [];
    for (let d = 1; d <= month.days; d++) {
      const day = `${month.ym}-${String(d).padStart(2, '0')}`;
      items.push({ day, shiftCode: 'day', officerId: uid('dc_zby'), leaderId: uid('dc_dbld') });
      items.push({ day, shiftCode: 'night', officerId: uid('dc_zby'), leaderId: uid('dc_dbld') });
    }
    await call('dc_dbld', 'POST', '/api/duty/roster', { unitId: room, items }).catch((e) =>
      deps.log?.(`演示排班未写入 / demo roster not written: ${(e as Error).message}`),
    );

    // closed yesterday, with its whole trace
    const yesterday = real - 30 * HOUR;
    await at(yesterday + 12 * MINUTE);
    await reportFromTown(CLOSED_YESTERDAY, yesterday, { final: true, late: false });
    events++;

    // three hours ago: reported and signed; the county secretary's instruction awaits the township's feedback
    const threeHours = real - 3 * HOUR;
    await at(threeHours + 10 * MINUTE);
    const withInstruction = await reportFromTown(INSTRUCTED, threeHours, { final: false, late: false });
    await at(threeHours + 50 * MINUTE);
    const ins = await call('dc_ld', 'POST', `/api/events/${withInstruction}/instructions`, {
      text: '请城关街道全力做好转移安置，确保群众生命安全，处置进展及时报告。',
      toUnitIds: [U('城关街道')],
      dueAt: iso(real + 2 * HOUR),
    });
    await at(threeHours + 65 * MINUTE);
    await call('cgz_fgld', 'POST', `/api/instructions/${ins.id}/ack`);
    events++;

    // 75 minutes ago: the township phoned the county duty room, which recorded the call; the township's written
    // report is now overdue, and so is the county's report upward
    const phoned = real - 75 * MINUTE;
    await at(phoned + 8 * MINUTE);
    await call('dc_zby', 'POST', '/api/events', {
      title: '城关街道幸福小区一居民楼燃气泄漏',
      categoryCode: '12G01',
      level: 'IV',
      occurredAt: iso(phoned),
      place: { address: '城关街道幸福小区 6 号楼' },
      source: 'phone',
      callerUnitId: U('城关街道'),
      callerName: '李晓梅',
      callerPhone: '13800000001',
      calledAt: iso(phoned + 6 * MINUTE),
      summary: '居民闻到燃气味报警，燃气公司和消防已到场关阀疏散，暂无人员受伤。',
    });
    events++;

    await at(real);
    // what the walk left in people's in-boxes before yesterday has been seen and acknowledged by them
    for (const u of users) {
      const mine = await call(u.username, 'GET', '/api/notifications?filter=unacked&limit=200').catch(
        () => null,
      );
      for (const n of (mine?.items ?? []) as Array<{ id: string; urgent: boolean; createdAt: string }>)
        if (n.urgent && new Date(n.createdAt).getTime() < real - DAY)
          await call(u.username, 'POST', `/api/notifications/${n.id}/ack`, {});
      if (mine?.items?.length) await call(u.username, 'POST', '/api/notifications/read-all', {});
    }
    return { events, calls };
  } finally {
    await app.close();
  }

  /** A township (or department) reports an event up to the city, the way the core path goes. */
  async function reportFromTown(
    h: DemoEvent,
    occurred: number,
    o: { final: boolean; late: boolean },
  ): Promise<string> {
    const reporter = h.reporter;
    const ev = await call(reporter, 'POST', '/api/events', {
      title: h.title,
      categoryCode: h.category,
      level: h.level,
      occurredAt: iso(occurred),
      place: { address: h.place },
      summary: h.summary,
      ...(h.casualties ? { casualties: h.casualties } : {}),
    });
    const elements = {
      occurredAt: iso(occurred),
      place: h.place,
      cause: h.cause,
      scope: h.scope,
      casualties: h.casualties ?? { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 0, trapped: 0 },
      loss: h.loss,
      measures: h.measures,
      nextSteps: '继续做好现场处置和善后工作，有新情况及时续报',
      contact: h.contact,
    };
    const rep = await call(reporter, 'POST', `/api/events/${ev.id}/reports`, {
      kind: 'initial',
      elements,
      fastTrack: true,
    });
    await call(reporter, 'POST', `/api/reports/${rep.id}/submit`, { fastTrack: true });
    // phoned up the chain as well (the county owes the city a call for every level, a township its county from
    // Ⅲ up): the receiving duty rooms record the calls
    const phone = (caller: string, name: string, tel: string) => ({
      kind: 'phone',
      elements,
      callerUnitId: U(caller),
      callerName: name,
      callerPhone: tel,
      calledAt: iso(clock.now().getTime() - MINUTE),
    });
    if (h.level === 'III')
      await call(
        'dc_zby',
        'POST',
        `/api/events/${ev.id}/reports`,
        phone('城关街道', '李晓梅', '13800000001'),
      );
    await at(clock.now().getTime() + 3 * MINUTE);
    await call('sz_zby', 'POST', `/api/events/${ev.id}/reports`, phone('东城区', '刘芳', '13800000007'));
    await at(clock.now().getTime() + 4 * MINUTE);
    for (const who of h.countersigners)
      await call(who, 'POST', `/api/reports/${rep.id}/countersign`).catch(() => undefined);
    await call('dc_zby', 'POST', `/api/reports/${rep.id}/sign`);
    await at(clock.now().getTime() + 9 * MINUTE);
    const draft = await call(
      'dc_xxk',
      'GET',
      `/api/events/${ev.id}/reports/upward-draft?sourceReportIds=${rep.id}`,
    );
    const up = await call('dc_xxk', 'POST', `/api/events/${ev.id}/reports`, {
      kind: draft.kind,
      elements: draft.elements,
      pendingElements: draft.pendingElements,
      sourceReportIds: draft.sourceReportIds,
      fastTrack: true,
    });
    await call('dc_xxk', 'POST', `/api/reports/${up.id}/submit`, { fastTrack: true });
    await at(clock.now().getTime() + 6 * MINUTE);
    for (const who of ['dc_fgld', 'dc_zyfzr'])
      await call(who, 'POST', `/api/reports/${up.id}/countersign`).catch(() => undefined);
    await call('sz_zby', 'POST', `/api/reports/${up.id}/sign`);
    if (o.final) {
      await at(occurred + 26 * HOUR);
      const fin = await call(reporter, 'POST', `/api/events/${ev.id}/reports`, {
        kind: 'final',
        elements: { ...elements, measures: `${h.measures}；现场处置完毕`, nextSteps: '做好善后，总结教训' },
        fastTrack: true,
      });
      await call(reporter, 'POST', `/api/reports/${fin.id}/submit`, { fastTrack: true });
      await at(clock.now().getTime() + 20 * MINUTE);
      await call('dc_zby', 'POST', `/api/reports/${fin.id}/sign`);
    }
    return ev.id as string;
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The Beijing calendar month of an instant: `YYYY-MM` and its number of days. */
function beijingMonth(t: number) {
  const d = new Date(t + 8 * HOUR);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return {
    ym: `${y}-${String(m + 1).padStart(2, '0')}`,
    days: new Date(Date.UTC(y, m + 1, 0)).getUTCDate(),
  };
}

interface DemoEvent {
  title: string;
  category: string;
  level: 'III' | 'IV';
  place: string;
  summary: string;
  cause: string;
  scope: string;
  loss: string;
  measures: string;
  contact: string;
  reporter: string;
  /** who countersigns the report sent on fast track (the skipped approvals) */
  countersigners: string[];
  casualties?: {
    dead: number;
    missing: number;
    seriouslyInjured: number;
    lightlyInjured: number;
    trapped: number;
  };
}

const TOWN = {
  reporter: 'cgz_xxy',
  countersigners: ['cgz_fgld', 'cgz_zyfzr'],
  contact: '城关街道党政办 李晓梅 13800000001',
};
const POLICE = {
  reporter: 'dc_ga_xxy',
  countersigners: ['dc_ga_ld'],
  contact: '东城区公安分局指挥中心 13800000011',
};

const HISTORY_EVENTS: DemoEvent[] = [
  {
    ...TOWN,
    title: '城关街道建设路一仓库起火',
    category: '12G03',
    level: 'IV',
    place: '城关街道建设路 18 号仓库',
    summary: '仓库电气线路短路起火，消防到场扑灭。',
    cause: '电气线路短路',
    scope: '仓库约 200 平方米过火',
    loss: '货物损失约 15 万元',
    measures: '消防扑救，疏散周边群众',
  },
  {
    ...POLICE,
    title: '东城区滨河路两车相撞',
    category: '12H99',
    level: 'IV',
    place: '东城区滨河路与人民路交叉口',
    summary: '两辆小型客车相撞，2 人轻伤送医。',
    cause: '一方闯红灯',
    scope: '事故路段临时管制 1 小时',
    loss: '车辆受损',
    measures: '交警现场处置，伤者送医',
    casualties: { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 2, trapped: 0 },
  },
  {
    ...TOWN,
    title: '城关街道老城区暴雨内涝',
    category: '11A02',
    level: 'IV',
    place: '城关街道老城区解放街一带',
    summary: '短时强降雨致低洼路段积水，转移群众 12 人。',
    cause: '短时强降雨',
    scope: '3 条街道积水 30 厘米',
    loss: '部分商铺进水',
    measures: '排涝抢险，转移安置群众',
  },
  {
    ...TOWN,
    title: '城关街道一住宅楼火灾致 1 人受伤',
    category: '12G01',
    level: 'III',
    place: '城关街道和平里小区 3 号楼',
    summary: '居民家中起火，1 人重伤送医。',
    cause: '厨房用火不慎',
    scope: '一户约 80 平方米过火',
    loss: '约 10 万元',
    measures: '消防扑救，伤者送医，疏散楼内居民',
    casualties: { dead: 0, missing: 0, seriouslyInjured: 1, lightlyInjured: 0, trapped: 0 },
  },
  {
    ...POLICE,
    title: '东城区人民广场聚集事件',
    category: '14A00',
    level: 'IV',
    place: '东城区人民广场',
    summary: '约 30 名群众因工程款纠纷聚集，已劝离。',
    cause: '工程款拖欠纠纷',
    scope: '约 30 人，持续 2 小时',
    loss: '无',
    measures: '公安维持秩序，信访部门接待',
  },
  {
    ...TOWN,
    title: '城关街道一建筑工地脚手架坍塌',
    category: '12C00',
    level: 'IV',
    place: '城关街道新华路在建住宅项目',
    summary: '脚手架局部坍塌，2 名工人轻伤。',
    cause: '脚手架搭设不规范',
    scope: '坍塌约 15 米',
    loss: '约 5 万元',
    measures: '停工整改，伤者送医',
    casualties: { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 2, trapped: 0 },
  },
];

const CLOSED_YESTERDAY: DemoEvent = {
  ...TOWN,
  title: '城关街道农贸市场一商铺起火',
  category: '12G02',
  level: 'IV',
  place: '城关街道东关农贸市场',
  summary: '市场内一商铺起火，已扑灭，无人员伤亡。',
  cause: '电动车违规充电',
  scope: '一间商铺约 40 平方米过火',
  loss: '约 8 万元',
  measures: '消防扑救，市场临时疏散',
};

const INSTRUCTED: DemoEvent = {
  ...TOWN,
  title: '城关街道北山村山体滑坡',
  category: '11D01',
  level: 'IV',
  place: '城关街道北山村三组',
  summary: '持续降雨致后山局部滑坡，威胁 5 户村民，已转移 17 人。',
  cause: '持续降雨',
  scope: '滑坡体约 2000 立方米',
  loss: '2 间附属房受损',
  measures: '转移受威胁村民，设置警戒',
};

/** Names and phones of the three tiers of responsible persons per area (invented). */
const PEOPLE: Record<string, string[]> = {
  示例市: ['周文华', '孙立新', '马骏', '13900000001', '13900000002', '13900000003'],
  东城区: ['郑国强', '吴海燕', '冯涛', '13900000011', '13900000012', '13900000013'],
  西山县: ['何建军', '谢丽', '曹明', '13900000021', '13900000022', '13900000023'],
  城关街道: ['赵志强', '王建国', '钱伟', '13800000003', '13800000002', '13900000033'],
  东湖街道: ['林涛', '高敏', '罗斌', '13900000041', '13900000042', '13900000043'],
  河西镇: ['黄河', '胡静', '郭亮', '13900000051', '13900000052', '13900000053'],
};

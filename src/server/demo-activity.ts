/**
 * Demo activity (issue #11 point 11): a few events in different states on top of the demo city, this month's
 * duty roster of 东城区 and its responsible persons confirmed — made through the domain code, as the people of
 * the demo would have done it, with a manual clock moving forward from a few hours ago. So every judgment (the
 * deadlines, what is overdue, the trace) holds and the registration log verifies.
 *
 * Runs on the first start of a demo database (nothing is done when any event exists; JIBAO_DEMO_ACTIVITY=0
 * turns it off).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { withBatch } from '../floor/batch.js';
import { ManualClock } from '../floor/clock.js';
import { writeBatch } from '../floor/command.js';
import { type Ctx, inTx } from '../floor/context.js';
import { actorFromUserRow, findUserByUsername } from '../modules/auth/auth.repo.js';
import { assignShift } from '../modules/duty/roster.js';
import { giveInstruction } from '../modules/emergency/instructions.js';
import { registerEvent } from '../modules/emergency/register-event.js';
import {
  approveReport,
  createReport,
  signReport,
  submitReport,
} from '../modules/emergency/reports.service.js';
import { confirmResponsiblePersons, setResponsiblePersons } from '../modules/units/responsible-persons.js';

const MIN = 60_000;
const NONE = { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 0, trapped: 0 };

export interface DemoActivityResult {
  events: { overdue: string; instructed: string; closed: string };
  shifts: number;
  confirmedUnits: number;
}

/**
 * One transaction (each person's command a savepoint inside it) under an advisory lock: instances starting
 * together seed once, and a failure leaves nothing half made.
 */
export async function seedDemoActivity(db: Db, now: Date): Promise<DemoActivityResult | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(4712)`);
    return seed(tx as unknown as Db, now);
  });
}

async function seed(db: Db, now: Date): Promise<DemoActivityResult | null> {
  const any = await db.execute(sql`select 1 from events limit 1`);
  if (any.rowCount) return null;
  const demo = await db.execute(sql`select 1 from users where username = 'cgz_xxy'`);
  if (!demo.rowCount) return null;
  const clock = new ManualClock(new Date(now.getTime() - 6 * 60 * MIN));
  const at = (minutesAgo: number) => clock.set(new Date(now.getTime() - minutesAgo * MIN));
  const iso = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * MIN).toISOString();

  /** One command of one demo person, in its own transaction, as a request would run it. */
  const as = async <T>(username: string, fn: (ctx: Ctx) => Promise<T>): Promise<T> => {
    const actor = await actorFromUserRow(db, await findUserByUsername(db, username));
    return inTx({ actor, tx: db, clock, lang: 'zh-CN' }, async (c) => {
      const bc = withBatch(c);
      const out = await fn(bc);
      await writeBatch(bc);
      return out;
    });
  };
  const unitId = async (name: string) =>
    (await db.execute<{ id: string }>(sql`select id from units where name = ${name}`)).rows[0].id;
  const elements = (occurredAt: string, place: string, more: Record<string, unknown>) => ({
    occurredAt,
    place,
    cause: '正在调查。',
    scope: '影响范围正在核实。',
    casualties: NONE,
    loss: '正在统计。',
    measures: '已组织人员赶赴现场处置。',
    nextSteps: '继续处置，及时续报。',
    ...more,
  });

  // 1. closed with its trace: a burst water main, reported, signed for by the county, final report sent
  at(330);
  const closedEv = (
    await as('cgz_xxy', (ctx) =>
      registerEvent(ctx, {
        title: '城关街道滨湖路供水管道爆裂',
        categoryCode: '12F00',
        level: 'IV',
        occurredAt: iso(345),
        place: { address: '城关街道滨湖路与湖心路交叉口' },
        source: 'self',
        casualties: NONE,
      }),
    )
  ).event;
  const closedId = closedEv.id;
  const cgzUnit = await unitId('城关街道');
  const phoned = (eventId: string, minutesAgo: number, occurred: number, place: string, scope: string) =>
    as('dc_zby', (ctx) =>
      createReport(ctx, eventId, {
        kind: 'phone',
        callerUnitId: cgzUnit,
        callerName: '李晓梅',
        callerPhone: '13800000000',
        calledAt: iso(minutesAgo),
        elements: elements(iso(occurred), place, { scope }),
      }),
    );
  at(338);
  await phoned(closedId, 338, 345, '城关街道滨湖路与湖心路交叉口', '周边约 200 户停水，路面积水。');
  at(325);
  const initial = await as('cgz_xxy', (ctx) =>
    createReport(ctx, closedId, {
      kind: 'initial',
      elements: elements(iso(345), '城关街道滨湖路与湖心路交叉口', {
        cause: 'DN300 供水管道老化爆裂。',
        scope: '周边约 200 户停水，路面积水。',
        contact: '城关街道党政办 李晓梅 13800000000',
      }),
    }),
  );
  await as('cgz_xxy', (ctx) => submitReport(ctx, initial.id));
  at(322);
  await as('cgz_fgld', (ctx) => approveReport(ctx, initial.id));
  at(318);
  await as('dc_xxk', (ctx) => signReport(ctx, initial.id));
  // the county phones the city, then reports upward from the township's report (approved by its leader)
  at(315);
  const city = await unitId('示例市');
  await as('dc_xxk', (ctx) =>
    createReport(ctx, closedId, {
      kind: 'phone',
      direction: 'outgoing',
      toUnitId: city,
      calledAt: iso(315),
      answeredBy: '示例市委市政府总值班室 值班员',
      elements: elements(iso(345), '城关街道滨湖路与湖心路交叉口', {
        cause: 'DN300 供水管道老化爆裂。',
        scope: '周边约 200 户停水，路面积水。',
        contact: '东城区委办公室 刘芳 13800000006',
      }),
    }),
  );
  at(310);
  const upward = await as('dc_xxk', (ctx) =>
    createReport(ctx, closedId, {
      kind: 'initial',
      sourceReportIds: [initial.id],
      elements: elements(iso(345), '城关街道滨湖路与湖心路交叉口', {
        cause: 'DN300 供水管道老化爆裂。',
        scope: '周边约 200 户停水，路面积水。',
        contact: '东城区委办公室 刘芳 13800000006',
      }),
    }),
  );
  await as('dc_xxk', (ctx) => submitReport(ctx, upward.id));
  at(306);
  await as('dc_fgld', (ctx) => approveReport(ctx, upward.id));
  at(300);
  await as('sz_xxk', (ctx) => signReport(ctx, upward.id));
  at(200);
  const final = await as('cgz_xxy', (ctx) =>
    createReport(ctx, closedId, {
      kind: 'final',
      elements: elements(iso(345), '城关街道滨湖路与湖心路交叉口', {
        cause: 'DN300 供水管道老化爆裂。',
        scope: '周边约 200 户停水 3 小时，已全部恢复。',
        loss: '直接经济损失约 2 万元。',
        measures: '关阀抢修，更换管段 6 米，送水车保障居民用水。',
        nextSteps: '排查同批次管道。',
        contact: '城关街道党政办 李晓梅 13800000000',
      }),
    }),
  );
  await as('cgz_xxy', (ctx) => submitReport(ctx, final.id));
  at(195);
  await as('cgz_fgld', (ctx) => approveReport(ctx, final.id));
  at(190);
  await as('dc_xxk', (ctx) => signReport(ctx, final.id));

  // 2. an instruction awaiting feedback: 东城区's leader instructs 城关街道 on its tilting tower crane
  at(150);
  const instructedEv = (
    await as('cgz_xxy', (ctx) =>
      registerEvent(ctx, {
        title: '城关街道建设路一在建工地塔吊倾斜',
        categoryCode: '12A00',
        level: 'IV',
        occurredAt: iso(160),
        place: { address: '城关街道建设路 66 号在建工地' },
        source: 'self',
        casualties: NONE,
        flags: { mayEscalate: true },
      }),
    )
  ).event;
  at(148);
  await phoned(instructedEv.id, 148, 160, '城关街道建设路 66 号在建工地', '塔吊向东倾斜，周边已封控。');
  at(145);
  const rep2 = await as('cgz_xxy', (ctx) =>
    createReport(ctx, instructedEv.id, {
      kind: 'initial',
      elements: elements(iso(160), '城关街道建设路 66 号在建工地', {
        cause: '基础沉降，原因正在调查。',
        scope: '塔吊向东倾斜约 5 度，周边 50 米已封控。',
        measures: '疏散工地及周边人员 120 人，设置警戒区。',
        contact: '城关街道党政办 李晓梅 13800000000',
      }),
    }),
  );
  await as('cgz_xxy', (ctx) => submitReport(ctx, rep2.id));
  at(141);
  await as('cgz_fgld', (ctx) => approveReport(ctx, rep2.id));
  at(138);
  await as('dc_xxk', (ctx) => signReport(ctx, rep2.id));
  at(120);
  await as('dc_ld', (ctx) =>
    giveInstruction(ctx, instructedEv.id, {
      text: '请城关街道加强现场警戒，确保人员安全，处置进展及时报区委办。',
      toUnitIds: [cgzUnit],
      dueAt: iso(-120),
      reportId: rep2.id,
    }),
  );

  // 3. overdue: a gas leak registered by 城关街道 whose report is still a draft
  at(95);
  const overdueEv = (
    await as('cgz_xxy', (ctx) =>
      registerEvent(ctx, {
        title: '城关街道和平路一餐馆燃气泄漏',
        categoryCode: '12D00',
        level: 'IV',
        occurredAt: iso(100),
        place: { address: '城关街道和平路 12 号' },
        source: 'self',
        casualties: { ...NONE, lightlyInjured: 1 },
      }),
    )
  ).event;
  at(80);
  await as('cgz_xxy', (ctx) =>
    createReport(ctx, overdueEv.id, {
      kind: 'initial',
      elements: elements(iso(100), '城关街道和平路 12 号', {
        cause: '燃气软管老化破损。',
        scope: '餐馆及楼上住户 30 人疏散。',
        casualties: { ...NONE, lightlyInjured: 1 },
        contact: '城关街道党政办 李晓梅 13800000000',
      }),
    }),
  );

  // this month's roster of the county's duty room: day and night shifts, the duty officer and the duty leader
  at(60);
  const room = await unitId('东城区委区政府总值班室');
  const officer = (await findUserByUsername(db, 'dc_zby')).id as string;
  const leader = (await findUserByUsername(db, 'dc_dbld')).id as string;
  const wall = new Date(now.getTime() + 8 * 60 * MIN);
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth();
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  let shifts = 0;
  for (let d = 1; d <= days; d++) {
    const day = `${year}-${String(month + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    try {
      await as('dc_dbld', (ctx) =>
        assignShift(ctx, room, { day, shiftCode: 'day', officerId: officer, leaderId: leader }),
      );
      shifts++;
    } catch {
      /* a day the rules refuse is left open, as a person would */
    }
  }

  // responsible persons confirmed for the demo's areas and departments (a few left for the office to chase)
  const units = await db.execute<{ id: string; name: string }>(sql`select id, name from units
    where kind in ('area', 'department') and level is distinct from 'nation' and name not like '%石桥乡%'
      and name not like '%信访局%' order by path`);
  let confirmedUnits = 0;
  for (const u of units.rows) {
    try {
      await as('admin', async (ctx) => {
        await setResponsiblePersons(ctx, u.id, [
          { tier: 'principal', name: `${u.name}主要负责人`, post: '主要负责人', phone: '13900000001' },
          { tier: 'leader_in_charge', name: `${u.name}分管负责人`, post: '分管负责人', phone: '13900000002' },
          { tier: 'office_director', name: `${u.name}办公室主任`, post: '办公室主任', phone: '13900000003' },
        ]);
        await confirmResponsiblePersons(ctx, u.id);
      });
      confirmedUnits++;
    } catch {
      /* left unconfirmed */
    }
  }
  return {
    events: { overdue: overdueEv.id, instructed: instructedEv.id, closed: closedId },
    shifts,
    confirmedUnits,
  };
}

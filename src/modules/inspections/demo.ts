import { sql } from 'drizzle-orm';
import type { Ctx, UserCtx } from '../../floor/context.js';
import { actorFromUserRow, findUserByUsername } from '../auth/auth.repo.js';
import { createCampaign } from './campaigns.service.js';
import { checkIn, registerSource } from './hazard-sources.service.js';
import { recordHazard, recordVisit, reportRectification, verifyHazard } from './hazards.service.js';
import { submitTipoff } from './tipoffs.service.js';

const DAY = 24 * 3600_000;

/**
 * Demo data of 大检查 on the first start of the demo city, made through the domain code (so every step has its
 * registration-log entry, timers and 督办 tasks, and `npm run audit:verify` holds): 东城区's "大检查、大整顿" campaign
 * with visits; hazards open, reported, sent back and closed; one major hazard past its deadline with its 督办 task
 * (its overdue escalation fires on the first sweep); a major hazard source with check-ins; a public tip-off.
 */
export async function loadInspectionsDemo(base: Ctx): Promise<void> {
  const as = async (username: string): Promise<UserCtx> => {
    const u = await findUserByUsername(base.tx, username);
    if (!u) throw new Error(`demo user missing: ${username}`);
    return { ...base, actor: await actorFromUserRow(base.tx, u) };
  };
  const unit = async (name: string) => {
    const r = await base.tx.execute<{ id: string }>(sql`select id from units where name = ${name}`);
    if (!r.rows[0]) throw new Error(`demo unit missing: ${name}`);
    return r.rows[0].id;
  };
  const county = await as('dc_xxk'); // 东城区委办公室 信息科: acts for 东城区
  const town = await as('cgz_xxy'); // 城关街道党政办 信息员: acts for 城关街道
  const now = base.clock.now().getTime();
  const at = (days: number) => new Date(now + days * DAY).toISOString();
  const day = (days: number) => new Date(now + days * DAY + 8 * 3600_000).toISOString().slice(0, 10);
  const police = await unit('东城区公安分局');
  const safety = await unit('东城区应急管理局安全生产科');
  const cg = await unit('城关街道');
  const dh = await unit('东湖街道');

  const campaignId = await createCampaign(county, {
    title: '东城区安全生产"大检查、大整顿"专项行动',
    from: day(-30),
    to: day(60),
    sectors: [
      { sector: '危险化学品', leadUnitId: safety },
      { sector: '道路交通', leadUnitId: police },
      { sector: '燃气', leadUnitId: safety },
    ],
    unitIds: [cg, dh],
  });
  for (const [place, sector, days] of [
    ['城关街道农贸市场', '燃气', -12],
    ['东湖街道客运站', '道路交通', -9],
    ['城关街道幸福小区燃气调压站', '燃气', -6],
  ] as const)
    await recordVisit(county, { campaignId, place, sector, visitedAt: at(days), findings: '未发现问题' });

  const hazard = (input: {
    place: string;
    sector: string;
    severity: 'general' | 'major';
    description: string;
    found: number;
    by: number;
    responsibleUnitId?: string;
  }) =>
    recordHazard(county, {
      campaignId,
      place: input.place,
      sector: input.sector,
      severity: input.severity,
      description: input.description,
      responsibleUnitId: input.responsibleUnitId ?? cg,
      foundAt: at(input.found),
      rectifyBy: at(input.by),
    });

  // 重大隐患, past its deadline and not rectified: overdue, with its 督办 task
  await recordHazard(county, {
    campaignId,
    place: '城关街道宏达化工仓库',
    sector: '危险化学品',
    severity: 'major',
    description: '危险化学品仓库超量储存，防火分区被占用，未设置可燃气体报警装置',
    responsibleUnitId: cg,
    foundAt: at(-20),
    rectifyBy: at(-3),
    measures: ['suspend'],
  });
  // open, deadline ahead
  await hazard({
    place: '人民路与解放路交叉口',
    sector: '道路交通',
    severity: 'general',
    description: '交通信号灯故障，夜间无照明',
    found: -4,
    by: 10,
  });
  // reported, waiting for verification
  const reported = await hazard({
    place: '城关街道老街餐饮店',
    sector: '燃气',
    severity: 'general',
    description: '液化气钢瓶与灶具距离不足，软管老化',
    found: -10,
    by: 5,
  });
  await reportRectification(town, reported, { text: '已更换软管并调整钢瓶位置', at: at(-2) });
  // 东湖街道's, past its deadline: overdue
  await hazard({
    place: '东湖街道加油站',
    sector: '危险化学品',
    severity: 'general',
    description: '卸油区静电接地装置损坏',
    found: -15,
    by: -5,
    responsibleUnitId: dh,
  });
  // sent back once, reported again and verified closed
  const cycle = await hazard({
    place: '城关街道建材市场',
    sector: '燃气',
    severity: 'general',
    description: '商户违规使用瓶装液化气，无泄漏报警',
    found: -14,
    by: -4,
  });
  await reportRectification(town, cycle, { text: '已停用瓶装液化气', at: at(-6) });
  await verifyHazard(county, cycle, { accepted: false, note: '仍有两户未整改', rectifyBy: at(3) });
  await reportRectification(town, cycle, { text: '两户已改用管道燃气' });
  await verifyHazard(county, cycle, { accepted: true, note: '复查合格' });

  // 重大危险源 with two check-ins
  const sourceId = await registerSource(county, {
    name: '城关加气站 LNG 储罐区',
    unitId: cg,
    place: '城关街道人民路 88 号',
    lng: 116.404,
    lat: 39.915,
    level: '三级',
    description: 'LNG 储罐 2×60 m³，专人 24 小时监控',
    checkEveryMinutes: 120,
  });
  await checkIn(town, sourceId, { at: at(-90 / 1440), note: '储罐压力正常，无泄漏' });
  await checkIn(town, sourceId, { at: at(-20 / 1440), note: '巡查正常' });

  // a public tip-off
  await submitTipoff(
    { ...base, actor: null },
    {
      text: '城关街道某五金店在居民楼一层违规储存大量烟花爆竹，夜间有人搬运。',
      place: '城关街道光明巷 12 号',
      contact: null,
      divisionCode: '990102',
    },
  );
}

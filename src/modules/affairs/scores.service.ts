import ExcelJS from 'exceljs';
import type { UserCtx } from '../../floor/context.js';
import { badRequest } from '../../floor/errors.js';
import { scoreFacts, scoringPeople, scoringUnits } from './affairs.repo.js';
import { scoringAt, scoringNow } from './common.js';
import { commissionPoints, commissionStatus, scorePeriod, scoreTable } from './rules.js';

/**
 * GET /api/affairs/scores: points per unit (the unit the author acts for) or per person (the drafter) over a
 * period, counted by the `at` of adoptions and instructions (their points frozen when recorded) and by the time a
 * commission was judged late or missed (−10 by default, to the unit only). Every unit (or writer) in the caller's
 * scope is listed, zeros included.
 */
export async function scores(ctx: UserCtx, q: { from?: string; to?: string; by?: 'unit' | 'person' }) {
  const by = q.by ?? 'unit';
  const now = ctx.clock.now();
  const period = scorePeriod(now, q.from, q.to);
  if (Number.isNaN(period.from.getTime()) || Number.isNaN(period.to.getTime()) || period.to <= period.from)
    throw badRequest('score_period_invalid');
  const facts = await scoreFacts(ctx, ctx.actor, period.from, period.to);
  const commissions = [];
  for (const c of facts.commissions) {
    const s = commissionStatus(
      { dueAt: new Date(c.due_at), firstSentAt: c.first_sent_at, offlineDeliveredAt: c.offline_delivered_at },
      now,
    );
    const rules = await scoringAt(ctx, c.scoring_version);
    const points = commissionPoints(rules.body, s.status);
    if (points && s.judgedAt) commissions.push({ unitId: c.to_unit_id, points, at: s.judgedAt });
  }
  const rows = (list: Array<{ unit_id: string; user_id: string; piece_id: string; at: Date }>) =>
    list.map((r) => ({ unitId: r.unit_id, userId: r.user_id, pieceId: r.piece_id, at: new Date(r.at) }));
  const input = {
    adoptions: facts.adoptions.map((r) => ({ ...rows([r])[0], points: r.points })),
    instructions: facts.instructions.map((r) => ({ ...rows([r])[0], points: r.points })),
    sent: facts.sent.map((r) => ({ ...rows([r])[0], sameDay: r.same_day })),
    commissions,
  };
  const scoring = await scoringNow(ctx);
  const base = {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    by,
    scoringVersion: scoring.version,
  };
  if (by === 'unit') {
    const units = await scoringUnits(ctx, ctx.actor);
    const names = new Map(units.map((u) => [u.id, u]));
    const table = scoreTable(input, 'unit', [...names.keys()], period).filter((r) => names.has(r.id));
    return {
      ...base,
      items: table.map((r) => ({
        unitId: r.id,
        unitName: names.get(r.id)!.name,
        points: r.points,
        pieces: r.pieces,
        adopted: r.adopted,
        adoptionRate: r.adoptionRate,
        sameDayRate: r.sameDayRate,
      })),
    };
  }
  const people = await scoringPeople(ctx, ctx.actor);
  const known = new Map(people.map((p) => [p.id, p]));
  const table = scoreTable(input, 'person', [...known.keys()], period).filter((r) => known.has(r.id));
  return {
    ...base,
    items: table.map((r) => ({
      userId: r.id,
      name: known.get(r.id)!.name,
      unitId: known.get(r.id)!.unit_id,
      unitName: known.get(r.id)!.unit_name,
      points: r.points,
      pieces: r.pieces,
      adopted: r.adopted,
      adoptionRate: r.adoptionRate,
      sameDayRate: r.sameDayRate,
    })),
  };
}

/** 积分 as .xlsx: a header row in Chinese, one unit (or officer) a row, highest points first. */
export async function scoresWorkbook(
  ctx: UserCtx,
  q: { from?: string; to?: string; by?: 'unit' | 'person' },
) {
  const s = await scores(ctx, q);
  const wb = new ExcelJS.Workbook();
  const person = s.by === 'person';
  const ws = wb.addWorksheet('信息积分', { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = person
    ? ['名次', '信息员', '单位', '积分', '报送条数', '采用条数', '采用率', '当天报送率']
    : ['名次', '单位', '积分', '报送条数', '采用条数', '采用率', '当天报送率'];
  ws.columns = header.map((h) => ({ header: h, key: h, width: Math.max(10, h.length * 3 + 4) }));
  ws.getRow(1).font = { bold: true };
  const pct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)}%`);
  for (const r of s.items as Array<Record<string, any>>) {
    const rank = s.items.findIndex((x) => x.points === r.points) + 1;
    const tail = [r.points, r.pieces, r.adopted, pct(r.adoptionRate), pct(r.sameDayRate)];
    ws.addRow(person ? [rank, r.name, r.unitName, ...tail] : [rank, r.unitName, ...tail]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

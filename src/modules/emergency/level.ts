/**
 * Statutory accident thresholds (SPEC §2.2): the highest level any figure reaches wins.
 * Ⅰ: ≥30 deaths, ≥100 seriously injured, or direct loss ≥ 100 million yuan; Ⅱ: 10–29, 50–99, 50–100 million;
 * Ⅲ: 3–9, 10–49, 10–50 million; Ⅳ: below.
 */
export type Level = 'I' | 'II' | 'III' | 'IV';
export const LEVELS: Level[] = ['I', 'II', 'III', 'IV'];
export const levelRank = (l: string | null | undefined) => (l ? LEVELS.indexOf(l as Level) : 99);

const YI = 100_000_000;
const WAN = 10_000;

export function proposeAccidentLevel(input: {
  dead?: number;
  seriouslyInjured?: number;
  directLossYuan?: number | null;
}): Level {
  const d = input.dead ?? 0;
  const s = input.seriouslyInjured ?? 0;
  const loss = input.directLossYuan ?? 0;
  if (d >= 30 || s >= 100 || loss >= YI) return 'I';
  if (d >= 10 || s >= 50 || loss >= 5000 * WAN) return 'II';
  if (d >= 3 || s >= 10 || loss >= 1000 * WAN) return 'III';
  return 'IV';
}

/** The level proposal applies to accidents (12xxx); other classes are graded by their own standards. */
export function proposeLevel(
  categoryCode: string,
  c: { dead?: number; seriouslyInjured?: number },
  loss: number | null,
) {
  if (!categoryCode.startsWith('12')) return null;
  return proposeAccidentLevel({ dead: c.dead, seriouslyInjured: c.seriouslyInjured, directLossYuan: loss });
}

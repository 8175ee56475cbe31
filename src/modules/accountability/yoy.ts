/**
 * Year-on-year comparison written the way offices write it: "348 起，同比减少 109 起，下降 23.8%".
 * Percentages are cut (not rounded) to one decimal, as in the offices' own figures.
 */
export interface YoY {
  current: number;
  previous: number;
  change: number;
  /** change / previous, null when there was nothing a year earlier */
  ratio: number | null;
  direction: 'up' | 'down' | 'flat';
}

export function yoy(current: number, previous: number): YoY {
  const change = current - previous;
  return {
    current,
    previous,
    change,
    ratio: previous > 0 ? change / previous : null,
    direction: change > 0 ? 'up' : change < 0 ? 'down' : 'flat',
  };
}

/** 23.8 from 0.23851 (cut to one decimal; a tiny epsilon guards 0.29 × 100 = 28.999…). */
export function pct1(ratio: number): string {
  const v = Math.floor(Math.abs(ratio) * 1000 + 1e-6) / 10;
  return v.toFixed(1);
}

export function yoySentenceZh(current: number, previous: number, unit = '起'): string {
  const y = yoy(current, previous);
  const head = `${current} ${unit}`;
  if (y.direction === 'flat') return `${head}，同比持平`;
  const verb = y.direction === 'down' ? '减少' : '增加';
  const trend = y.direction === 'down' ? '下降' : '上升';
  const amount = `${Math.abs(y.change)} ${unit}`;
  if (y.ratio === null) return `${head}，同比${verb} ${amount}（去年同期为 0）`;
  return `${head}，同比${verb} ${amount}，${trend} ${pct1(y.ratio)}%`;
}

export function yoySentenceEn(current: number, previous: number, noun = 'events'): string {
  const y = yoy(current, previous);
  const head = `${current} ${noun}`;
  if (y.direction === 'flat') return `${head}, the same as a year earlier`;
  const more = y.direction === 'down' ? 'fewer' : 'more';
  const trend = y.direction === 'down' ? 'down' : 'up';
  if (y.ratio === null) return `${head}, ${Math.abs(y.change)} ${more} than a year earlier (none then)`;
  return `${head}, ${Math.abs(y.change)} ${more} than a year earlier (${trend} ${pct1(y.ratio)}%)`;
}

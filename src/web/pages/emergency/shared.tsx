import { useQuery } from '@tanstack/react-query';
import { Tag } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { fmtTime } from '../../format';
import type { Casualties, Category, Elements, EventItem, Flags, Level, Report, Unit } from '../../types';
import { ELEMENT_KEYS } from '../../types';

export interface CategoryOption {
  value: string;
  label: string;
  children?: CategoryOption[];
}

/** The category tree (GB/T 35561) from the server. */
export function useCategories() {
  const { i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['categories'],
    queryFn: () => api.get<List<Category> | Category[]>('/api/categories'),
    staleTime: 60 * 60_000,
    retry: false,
  });
  const en = i18n.language === 'en';
  return useMemo(() => {
    const raw = q.data;
    const items: Category[] = Array.isArray(raw) ? raw : (raw?.items ?? []);
    const byCode = new Map(items.map((c) => [c.code, c]));
    const name = (code: string | null | undefined) => {
      if (!code) return '—';
      const c = byCode.get(code);
      if (!c) return code;
      return en && c.nameEn ? c.nameEn : c.name;
    };
    const nodes = new Map<string, CategoryOption>();
    for (const c of items) nodes.set(c.code, { value: c.code, label: en && c.nameEn ? c.nameEn : c.name });
    const roots: CategoryOption[] = [];
    for (const c of items) {
      const n = nodes.get(c.code)!;
      const p = c.parentCode ? nodes.get(c.parentCode) : undefined;
      if (p) {
        p.children = p.children ?? [];
        p.children.push(n);
      } else roots.push(n);
    }
    /** Path of codes from the class down to the code, for the cascader. */
    const pathOf = (code: string): string[] => {
      const out: string[] = [];
      let cur = byCode.get(code);
      while (cur) {
        out.unshift(cur.code);
        cur = cur.parentCode ? byCode.get(cur.parentCode) : undefined;
      }
      return out;
    };
    /** 12G01 → 事故灾难 / 火灾事故 / 住宅火灾 */
    const fullName = (code: string | null | undefined) =>
      code ? pathOf(code).map(name).join(' / ') || code : '—';
    return {
      options: roots,
      name,
      fullName,
      pathOf,
      loading: q.isLoading,
      error: q.error,
      available: items.length > 0,
    };
  }, [q.data, q.isLoading, q.error, en]);
}

/** 初报, 续报一, 电话报告 … (Follow-up 2 in English). */
export function useReportLabel() {
  const { t, i18n } = useTranslation();
  return (r: Pick<Report, 'kind' | 'seq'>) => {
    if (r.kind !== 'followup') return t(`reportKind.${r.kind}`);
    const n = Math.max(1, r.seq ?? 1);
    if (i18n.language === 'en') return `${t('reportKind.followup')} ${n}`;
    const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
    const cn = n <= 10 ? CN[n] : n < 20 ? `十${CN[n - 10]}` : String(n);
    return `${t('reportKind.followup')}${cn}`;
  };
}

export const CASUALTY_KEYS: (keyof Casualties)[] = [
  'dead',
  'missing',
  'seriouslyInjured',
  'lightlyInjured',
  'trapped',
];

export function CasualtiesText({ c }: { c: Partial<Casualties> | string | null | undefined }) {
  const { t } = useTranslation();
  if (!c) return <>—</>;
  if (typeof c === 'string') return <>{c}</>;
  const parts = CASUALTY_KEYS.filter((k) => (c[k] ?? 0) > 0).map((k) => `${t(`casualty.${k}`)} ${c[k]}`);
  if (!parts.length) return <span>{t('casualty.none')}</span>;
  return (
    <span className={(c.dead ?? 0) > 0 ? 'deadline-late' : undefined}>
      {parts.join(i18nSep(t('common.sep')))}
    </span>
  );
}
const i18nSep = (s: string) => s;

/** The nine elements of a report, each with its 待核实 marker. */
export function ElementsView({ report }: { report: Pick<Report, 'elements' | 'pendingElements'> }) {
  const { t } = useTranslation();
  const el = report.elements ?? {};
  const pending = report.pendingElements ?? {};
  return (
    <dl className="el-grid">
      {ELEMENT_KEYS.map((k) => {
        const v = el[k as keyof Elements];
        const has = v !== undefined && v !== null && v !== '';
        if (!has && !pending[k]) return null;
        return (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{t(`element.${k}`)}</dt>
            <dd>
              {k === 'occurredAt' && typeof v === 'string' ? (
                fmtTime(v)
              ) : k === 'casualties' ? (
                <CasualtiesText c={v as Partial<Casualties>} />
              ) : has ? (
                String(v)
              ) : null}
              {pending[k] ? (
                <Tag color="warning" style={{ marginLeft: has ? 8 : 0 }}>
                  {t('element.pending')}：{pending[k]}
                </Tag>
              ) : null}
            </dd>
          </div>
        );
      })}
      {(el as any).correction ? (
        <>
          <dt>{t('element.correction')}</dt>
          <dd>{(el as any).correction}</dd>
        </>
      ) : null}
    </dl>
  );
}

const SERIOUS = ['11B00', '11C00', '12D00', '12E00', '13A00', '13C00', '14C00'];
const subClass = (code: string) => (/^1\d000$/.test(code) ? code : `${code.slice(0, 3)}00`);

/**
 * What the default must-report rules (七个必报) say about the form as it stands — a hint while typing; the
 * server's judgment (with its rule version) is what counts.
 */
export function estimateMustReport(input: {
  level: Level | null;
  categoryCode?: string;
  casualties: Partial<Casualties>;
  flags: Flags;
}): string[] {
  const rules: string[] = [];
  const c = input.casualties;
  const total =
    (c.dead ?? 0) + (c.missing ?? 0) + (c.seriouslyInjured ?? 0) + (c.lightlyInjured ?? 0) + (c.trapped ?? 0);
  if (input.level) rules.push('statutory');
  if (input.categoryCode) {
    const sc = subClass(input.categoryCode);
    if (SERIOUS.includes(sc) || (sc === '12G00' && total > 0)) rules.push('serious');
  }
  if (input.flags.massIncident) rules.push('mass_incident');
  if (input.flags.specialPersons?.length) rules.push('special_persons');
  if (input.flags.sensitivePlace || input.flags.sensitiveTime || input.flags.publicOpinion)
    rules.push('sensitive');
  if (input.flags.mayEscalate) rules.push('may_escalate');
  return rules;
}

/** Statutory accident thresholds: the highest level any figure reaches wins (accidents, 12xxx). */
export function proposeAccidentLevel(
  categoryCode: string | undefined,
  c: Partial<Casualties>,
  lossYuan: number | null,
): Level | null {
  if (!categoryCode?.startsWith('12')) return null;
  const d = c.dead ?? 0;
  const s = c.seriouslyInjured ?? 0;
  const loss = lossYuan ?? 0;
  if (d >= 30 || s >= 100 || loss >= 1e8) return 'I';
  if (d >= 10 || s >= 50 || loss >= 5e7) return 'II';
  if (d >= 3 || s >= 10 || loss >= 1e7) return 'III';
  return 'IV';
}

/**
 * The default time limits (SPEC §3) for the unit the user acts for, in minutes from occurrence:
 * township / department → its area: Ⅰ/Ⅱ phone 10, written 20; Ⅲ 30/30; Ⅳ or ungraded written 60.
 * county → city: phone 60, written 120. city → province (Ⅰ/Ⅱ): written 180. province → centre (Ⅰ/Ⅱ): 360.
 */
export function defaultLimits(
  acting: Pick<Unit, 'kind' | 'level'> | undefined,
  level: Level | null,
): { phone?: number; written?: number } | null {
  if (!acting) return null;
  const lowRow = acting.kind !== 'area' || acting.level === 'township';
  if (lowRow) {
    if (level === 'I' || level === 'II') return { phone: 10, written: 20 };
    if (level === 'III') return { phone: 30, written: 30 };
    return { written: 60 };
  }
  if (acting.level === 'county') return { phone: 60, written: 120 };
  if (acting.level === 'city') return level === 'I' || level === 'II' ? { written: 180 } : null;
  if (acting.level === 'province') return level === 'I' || level === 'II' ? { written: 360 } : null;
  return null;
}

export function eventTitleOf(e: Partial<EventItem> | undefined): string {
  return e?.title ?? '—';
}

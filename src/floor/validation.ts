import { z } from 'zod';
import type { ValidationIssue } from '../contract/validation.js';
import { type Lang, t } from './i18n.js';

export type { ValidationIssue };

const locales = { 'zh-CN': z.locales.zhCN(), en: z.locales.en() } as const;
const withoutReceived = (m: string) => m.replace(/, received \S+$/, '');

/** A zod issue, whether from `safeParse` or as fastify-type-provider-zod hands it over (code + params). */
export interface RawIssue {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

const localeText = (lang: Lang, issue: RawIssue): string | undefined => {
  const out = locales[lang].localeError({ ...issue, path: [] } as any);
  return typeof out === 'string' ? out : out?.message;
};

/**
 * An issue's message in `lang` and whether the schema wrote it itself: a message key registered with the i18n
 * messages (`validation.text_required`) is looked up; zod's own English text is said in `lang`; any other
 * text was written into the schema by hand and is kept as it is.
 */
export function issueMessage(lang: Lang, issue: RawIssue): { message: string; handwritten: boolean } {
  const m = String(issue.message ?? '');
  if (/^[a-z_]+\.[a-z_0-9]+$/.test(m)) {
    const translated = t(lang, m);
    if (translated !== m) return { message: translated, handwritten: true };
  }
  let english: string | undefined;
  try {
    english = localeText('en', issue);
  } catch {
    return { message: m, handwritten: true };
  }
  if (!english || withoutReceived(english) !== withoutReceived(m)) return { message: m, handwritten: true };
  if (lang === 'en') return { message: m, handwritten: false };
  try {
    const zh = localeText('zh-CN', issue);
    return { message: zh ? zh.replace(/，实际接收 undefined$/, '') : m, handwritten: false };
  } catch {
    return { message: m, handwritten: false };
  }
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const scalar = (v: unknown): string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);

/**
 * The contract's form of a zod issue: `path` as `a.b.0.c` (after `prefix`, e.g. `body`), `code`, the message
 * in `lang`, and the bounds and formats zod gives (`minimum`, `maximum`, `inclusive`, `origin`, `expected`,
 * `format`, `values`, `keys`, `divisor`) so a client can say it in its own words.
 */
export function toValidationIssue(lang: Lang, issue: RawIssue, prefix: string[] = []): ValidationIssue {
  const { message, handwritten } = issueMessage(lang, issue);
  const f = issue as unknown as Record<string, unknown>;
  const out: ValidationIssue = {
    path: [...prefix, ...issue.path.map(String)].join('.'),
    code: issue.code,
    message,
  };
  const minimum = num(f.minimum);
  const maximum = num(f.maximum);
  if (minimum !== undefined) out.minimum = minimum;
  if (maximum !== undefined) out.maximum = maximum;
  if (typeof f.inclusive === 'boolean') out.inclusive = f.inclusive;
  if (str(f.origin)) out.origin = str(f.origin);
  if (str(f.expected)) out.expected = str(f.expected);
  if (str(f.format)) out.format = str(f.format);
  if (Array.isArray(f.values)) out.values = f.values.slice(0, 50).map(scalar);
  if (Array.isArray(f.keys)) out.keys = f.keys.slice(0, 50).map(String);
  const divisor = num(f.divisor);
  if (divisor !== undefined) out.divisor = divisor;
  if (handwritten) out.handwritten = true;
  return out;
}

/** `a.b: message; c: message` — the summary in the error's message. */
export const issueSummary = (issues: ValidationIssue[]): string =>
  issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');

import { type Lang, t } from './i18n.js';

/**
 * A refusal the user should understand. `code` is stable (API contract); the message is looked up in the
 * caller's language when the response is written.
 */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    public readonly details: Record<string, unknown> = {},
    public readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
  message_(lang: Lang): string {
    return t(lang, `error.${this.code}`, { ...flatDetails(this.details), ...this.params });
  }
}

function flatDetails(d: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(d)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.join('、');
  }
  return out;
}

export const badRequest = (code: string, details: Record<string, unknown> = {}) =>
  new AppError(400, code, details);
export const forbidden = (code = 'forbidden', details: Record<string, unknown> = {}) =>
  new AppError(403, code, details);
export const notFound = (code = 'not_found', details: Record<string, unknown> = {}) =>
  new AppError(404, code, details);
export const conflict = (code: string, details: Record<string, unknown> = {}) =>
  new AppError(409, code, details);
export const unprocessable = (code: string, details: Record<string, unknown> = {}) =>
  new AppError(422, code, details);

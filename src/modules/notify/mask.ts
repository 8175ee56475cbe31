/**
 * Credentials of outbound endpoints never leave the server: every answer, registration-log entry and log line
 * shows them masked, recognisably (`key=••••3f9a`, `******`). What counts as a credential:
 * - URL query parameters named like key / token / access_token / secret / sign / signature / password;
 * - the password of a URL's userinfo (`https://user:pass@host`);
 * - header values of Authorization, Cookie, and any header named like token / secret / key / auth / sign / password;
 * - configuration fields named like password / pass / secret / token / key.
 * Saving a configuration back with a value still masked keeps the stored secret (`unmaskConfig`).
 */

export const MASK = '******';
const DOTS = '••••';

/** A query parameter, header or field name that names a credential. */
const SECRET_NAME = /(key|token|secret|sign|passw|pwd|^pass$|credential|auth|cookie|session|ticket)/i;

export const isSecretName = (name: string): boolean => SECRET_NAME.test(name);

/** The masked form of one secret value: the last four characters stay visible when it is long enough. */
export function maskValue(v: string): string {
  if (!v) return v;
  if (v.length >= 16) return `${DOTS}${v.slice(-4)}`;
  return MASK;
}

/** Whether a value is (or contains) a mask rather than a real secret. */
export const isMasked = (v: unknown): boolean =>
  typeof v === 'string' && (v === MASK || v.includes(DOTS) || v.includes('%E2%80%A2'));

// ---- URLs ----------------------------------------------------------------------------------------------

/**
 * Mask the credentials of a URL (also of a URL template with `{{placeholders}}`), without re-encoding it: the
 * text stays as the administrator wrote it, only the secret parts change.
 */
export function maskUrl(url: string): string {
  if (typeof url !== 'string' || !url) return url;
  let out = url.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@:]*):([^/?#@]*)@/i,
    (_, scheme, user, pass) => `${scheme}${user}:${pass ? MASK : ''}@`,
  );
  out = out.replace(/([?&;])([^=&#;]+)=([^&#;]*)/g, (all, sep, name, value) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      /* keep as written */
    }
    return isSecretName(decoded) && value && !/^\{\{\w+\}\}$/.test(value)
      ? `${sep}${name}=${maskValue(value)}`
      : all;
  });
  // a token in the path of well-known robot hooks (e.g. Feishu /hook/<token>, Slack-style /services/…)
  out = out.replace(/(\/hook\/|\/services\/)([A-Za-z0-9_-]{16,})/g, (_, p, tok) => `${p}${maskValue(tok)}`);
  return out;
}

/**
 * Mask everything credential-like inside free text (error messages, log lines): URLs in it, and
 * `name=value` / `"name":"value"` pairs whose name is a credential's.
 */
export function maskText(text: string): string {
  if (typeof text !== 'string' || !text) return text;
  let out = text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (u) => maskUrl(u));
  out = out.replace(/\b([A-Za-z_][\w-]*)=([^&\s"',;]+)/g, (all, name, value) =>
    isSecretName(name) && !isMasked(value) && !/^\{\{\w+\}\}$/.test(value)
      ? `${name}=${maskValue(value)}`
      : all,
  );
  out = out.replace(/("([A-Za-z_][\w-]*)"\s*:\s*")([^"]*)"/g, (all, head, name, value) =>
    isSecretName(name) && value && !isMasked(value) && !/^\{\{\w+\}\}$/.test(value)
      ? `${head}${maskValue(value)}"`
      : all,
  );
  out = out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, (_, s) => `${s} ${MASK}`);
  return out;
}

// ---- headers and whole configurations -----------------------------------------------------------------

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-.*-key)$/i;

export const isSecretHeader = (name: string): boolean => SECRET_HEADER.test(name) || isSecretName(name);

export function maskHeaders(h: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h ?? {}))
    out[k] = isSecretHeader(k) && typeof v === 'string' && v ? maskValue(v) : v;
  return out;
}

/** An endpoint configuration as it may be shown or logged. */
export function maskConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config ?? {})) {
    if (k === 'headers' && v && typeof v === 'object') out[k] = maskHeaders(v as Record<string, unknown>);
    else if (isSecretName(k) && typeof v === 'string' && v) out[k] = MASK;
    else if (typeof v === 'string' && /url|hook|endpoint|host/i.test(k)) out[k] = maskUrl(v);
    else if (typeof v === 'string') out[k] = maskText(v);
    else out[k] = v;
  }
  return out;
}

/**
 * Restore the stored credentials a client sent back masked. A URL's masked query parameters and userinfo
 * password take the stored URL's values of the same name; a masked header or field keeps the stored one.
 * Returns null when a masked value has no stored value to stand for (the caller refuses the save).
 */
export function unmaskConfig(
  incoming: Record<string, unknown>,
  stored: Record<string, unknown>,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(incoming)) {
    const before = stored[k];
    // unchanged: exactly what we showed for the stored value
    if (before !== undefined && JSON.stringify(maskConfig({ [k]: before })[k]) === JSON.stringify(v)) {
      out[k] = before;
      continue;
    }
    if (k === 'headers' && v && typeof v === 'object') {
      const prev = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
      const headers: Record<string, unknown> = {};
      for (const [hk, hv] of Object.entries(v as Record<string, unknown>)) {
        if (!isMasked(hv)) headers[hk] = hv;
        else {
          const storedKey = Object.keys(prev).find((p) => p.toLowerCase() === hk.toLowerCase());
          if (!storedKey || hv !== maskValue(String(prev[storedKey]))) return null;
          headers[hk] = prev[storedKey];
        }
      }
      out[k] = headers;
    } else if (typeof v === 'string' && isMasked(v)) {
      if (typeof before !== 'string') return null;
      if (v === MASK && isSecretName(k)) out[k] = before;
      else {
        const restored = restoreUrl(v, before);
        if (restored === null) return null;
        out[k] = restored;
      }
    } else out[k] = v;
  }
  return out;
}

/** Put the stored URL's secret values back where the incoming URL still shows their masks. */
function restoreUrl(incoming: string, stored: string): string | null {
  if (incoming === maskUrl(stored)) return stored;
  const storedParams = new Map<string, string>();
  for (const m of stored.matchAll(/[?&;]([^=&#;]+)=([^&#;]*)/g)) storedParams.set(m[1], m[2]);
  const storedPass = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:([^/?#@]*)@/i.exec(stored)?.[1];
  let failed = false;
  let out = incoming.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@:]*):([^/?#@]*)@/i,
    (all, scheme, user, pass) => {
      if (!isMasked(pass)) return all;
      if (storedPass === undefined) failed = true;
      return `${scheme}${user}:${storedPass ?? ''}@`;
    },
  );
  out = out.replace(/([?&;])([^=&#;]+)=([^&#;]*)/g, (all, sep, name, value) => {
    if (!isMasked(value)) return all;
    const prev = storedParams.get(name);
    if (prev === undefined || maskValue(prev) !== value) {
      failed = true;
      return all;
    }
    return `${sep}${name}=${prev}`;
  });
  out = out.replace(/(\/hook\/|\/services\/)([^/?#]+)/g, (all, p, tok) => {
    if (!isMasked(tok)) return all;
    const prev = new RegExp(`${p.replace(/\//g, '\\/')}([A-Za-z0-9_-]{16,})`).exec(stored)?.[1];
    if (!prev || maskValue(prev) !== tok) {
      failed = true;
      return all;
    }
    return `${p}${prev}`;
  });
  return failed || isMasked(out) ? null : out;
}

import { currentLang } from './i18n';

/** An error the server explained: `message` is already in the user's language. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details: Record<string, any> = {},
  ) {
    super(message);
  }
}

export interface List<T> {
  items: T[];
  nextCursor: string | null;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {};
/** The app decides what a 401 means (back to the sign-in page). */
export function setUnauthorizedHandler(h: UnauthorizedHandler): void {
  onUnauthorized = h;
}

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export interface CallOptions {
  /** Reuse one key for retries of the same user action; a fresh one is made otherwise. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Do not treat 401 as "session over" (the sign-in call itself). */
  allow401?: boolean;
}

async function request<T>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': currentLang(), Accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method === 'POST' && !path.startsWith('/api/auth/'))
    headers['Idempotency-Key'] = opts.idempotencyKey ?? newKey();
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(
      0,
      'network',
      currentLang() === 'en' ? 'Cannot reach the server.' : '无法连接服务器，请检查网络。',
    );
  }
  if (res.status === 401 && !opts.allow401) onUnauthorized();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: any = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    const err = data?.error;
    const fallback =
      currentLang() === 'en'
        ? `The server refused the request (${res.status}).`
        : `请求失败（${res.status}）。`;
    throw new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? fallback,
      err?.details ?? {},
    );
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, opts?: CallOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: CallOptions) => request<T>('POST', path, body ?? {}, opts),
  patch: <T>(path: string, body: unknown, opts?: CallOptions) => request<T>('PATCH', path, body, opts),
  put: <T>(path: string, body: unknown, opts?: CallOptions) => request<T>('PUT', path, body, opts),
  del: <T>(path: string, opts?: CallOptions) => request<T>('DELETE', path, undefined, opts),
  upload: <T>(path: string, form: FormData, opts?: CallOptions) => request<T>('POST', path, form, opts),
  /** Download a file (Excel export…) with the session cookie. */
  async download(path: string, filename: string): Promise<void> {
    const res = await fetch(path, {
      headers: { 'Accept-Language': currentLang() },
      credentials: 'same-origin',
    });
    if (res.status === 401) onUnauthorized();
    if (!res.ok) {
      let msg = `HTTP ${res.status}`;
      let code = `http_${res.status}`;
      try {
        const j = await res.json();
        msg = j?.error?.message ?? msg;
        code = j?.error?.code ?? code;
      } catch {
        /* not JSON */
      }
      throw new ApiError(res.status, code, msg);
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },
  newKey,
};

/** Query-string from an object, skipping empty values. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** A signed-in API client for setting up browser tests (the same JSON API the web app uses). */
export interface ApiClient {
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
  patch<T = any>(path: string, body: unknown): Promise<T>;
}

export async function apiAs(base: string, username: string, password = 'Jibao@2026'): Promise<ApiClient> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        cookie,
        // a cookie-carrying change must come from Jibao's own origin (CSRF check), as the browser's would
        origin: new URL(base).origin,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method === 'POST' ? { 'idempotency-key': crypto.randomUUID() } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    get: (p) => call('GET', p),
    post: (p, b) => call('POST', p, b ?? {}),
    patch: (p, b) => call('PATCH', p, b),
  };
}

/** A township event with a complete initial report, sent straight up (fast track); returns ids. */
export async function reportFromTownship(
  api: ApiClient,
  opts: { title: string; minutesAgo: number; level?: 'I' | 'II' | 'III' | 'IV'; send?: boolean },
): Promise<{ eventId: string; reportId: string }> {
  const occurredAt = new Date(Date.now() - opts.minutesAgo * 60_000).toISOString();
  const casualties = { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 1, trapped: 0 };
  const ev = await api.post('/api/events', {
    title: opts.title,
    categoryCode: '12G00',
    level: opts.level ?? 'IV',
    occurredAt,
    place: { address: '城关街道和平社区建设路 18 号' },
    source: 'self',
    casualties,
  });
  const rep = await api.post(`/api/events/${ev.id}/reports`, {
    kind: 'initial',
    elements: {
      occurredAt,
      place: '城关街道和平社区建设路 18 号',
      cause: '居民楼一住户家中起火，原因正在调查。',
      scope: '过火面积约 20 平方米。',
      casualties,
      loss: '正在统计',
      measures: '消防到场处置，明火已扑灭。',
      nextSteps: '安置受灾住户，调查起火原因。',
      contact: '城关街道党政办 李晓梅 13800000001',
    },
    fastTrack: true,
  });
  if (opts.send !== false) await api.post(`/api/reports/${rep.id}/submit`, { fastTrack: true });
  return { eventId: ev.id, reportId: rep.id };
}

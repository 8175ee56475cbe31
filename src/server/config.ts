import net from 'node:net';
import path from 'node:path';

export interface Config {
  port: number;
  /** Interface to listen on: loopback unless JIBAO_HOST says otherwise (production: 0.0.0.0 behind the proxy). */
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  demo: boolean;
  adminPassword: string;
  /** The origin users reach Jibao at (JIBAO_PUBLIC_URL), for the CSRF origin check. Always set by loadConfig. */
  publicUrl?: string;
  /** Whose X-Forwarded-* headers to believe (JIBAO_TRUST_PROXY): nobody unless set. Always set by loadConfig. */
  trustProxy?: boolean | string[];
}

export const DEMO_PASSWORD = 'Jibao@2026';

/** A setting that cannot be used: the server refuses to start and says which and why. */
export class ConfigError extends Error {}

// proxy-addr's names for address ranges, accepted by Fastify's trustProxy
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`PORT 必须是 0–65535 的整数 / PORT must be an integer 0–65535, got "${raw}"`);
  return n;
}

function parsePublicUrl(raw: string | undefined, port: number): string {
  if (!raw) return `http://localhost:${port}`;
  const u = URL.canParse(raw) ? new URL(raw) : null;
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
    throw new ConfigError(
      `JIBAO_PUBLIC_URL 必须是 http(s) 地址，如 https://jibao.example.gov.cn / JIBAO_PUBLIC_URL must be an http(s) origin, got "${raw}"`,
    );
  return u.origin;
}

function parseTrustProxy(raw: string | undefined): boolean | string[] {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const a of list) {
    const [ip, bits, ...rest] = a.split('/');
    const okBits =
      bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (net.isIPv6(ip) ? 128 : 32));
    if (!(PROXY_RANGES.has(a) || (net.isIP(ip) && okBits && rest.length === 0)))
      throw new ConfigError(
        `JIBAO_TRUST_PROXY 应为代理的 IP 地址或网段（逗号分隔）或 true / JIBAO_TRUST_PROXY must be the proxy's address(es) or CIDR range(s), comma-separated, or true; got "${a}"`,
      );
  }
  return list;
}

export function loadConfig(env = process.env): Config {
  const port = parsePort(env.PORT);
  return {
    port,
    host: env.JIBAO_HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || null,
    dataDir: path.resolve(env.JIBAO_DATA_DIR ?? './data'),
    demo: env.JIBAO_DEMO !== '0',
    adminPassword: env.JIBAO_ADMIN_PASSWORD || DEMO_PASSWORD,
    publicUrl: parsePublicUrl(env.JIBAO_PUBLIC_URL, port),
    trustProxy: parseTrustProxy(env.JIBAO_TRUST_PROXY),
  };
}

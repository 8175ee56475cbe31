import net from 'node:net';
import path from 'node:path';

export interface Config {
  port: number;
  /** Interface to listen on: loopback unless JIBAO_HOST says otherwise (production: 0.0.0.0 behind the proxy). */
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  demo: boolean;
  /** with the demo city, a few events in different states, this month's roster and confirmed responsible
   * persons on the first start (JIBAO_DEMO_ACTIVITY=0: the city alone) */
  demoActivity?: boolean;
  adminPassword: string;
  /** owner credential for migrations; DATABASE_URL is then the app's restricted role (JIBAO_MIGRATE_URL) */
  migrateUrl?: string | null;
  /** the role migrations grant the app's rights to (JIBAO_APP_ROLE) */
  appRole?: string;
  /** hash of new registration-log entries: sha256 or sm3 (JIBAO_AUDIT_HASH) */
  auditHash?: string;
  /** Ed25519 key signing log checkpoints (JIBAO_AUDIT_KEY_FILE); generated at first start when absent */
  auditKeyFile?: string;
  /** where checkpoints are appended outside the database (JIBAO_AUDIT_CHECKPOINT_DIR) */
  auditCheckpointDir?: string;
  /** The origin(s) users reach Jibao at (JIBAO_PUBLIC_URL), for the CSRF origin check; null: the request's own. */
  publicUrl?: string | null;
  /** Whose X-Forwarded-* headers to believe (JIBAO_TRUST_PROXY): nobody unless set. Always set by loadConfig. */
  trustProxy?: boolean | string[];
}

import { DEMO_PASSWORD } from '../modules/units/demo.js';

export { DEMO_PASSWORD };

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

function parsePublicUrl(raw: string | undefined): string | null {
  // unset: the origin a request was addressed to counts as our own (a county intranet reached by IP works)
  if (!raw?.trim()) return null;
  const origins = raw.split(',').map((part) => {
    const u = URL.canParse(part.trim()) ? new URL(part.trim()) : null;
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
      throw new ConfigError(
        `JIBAO_PUBLIC_URL 必须是 http(s) 地址，如 https://jibao.example.gov.cn / JIBAO_PUBLIC_URL must be an http(s) origin, got "${raw}"`,
      );
    return u.origin;
  });
  return origins.join(',');
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
    demoActivity: env.JIBAO_DEMO !== '0' && env.JIBAO_DEMO_ACTIVITY !== '0',
    adminPassword: env.JIBAO_ADMIN_PASSWORD || DEMO_PASSWORD,
    migrateUrl: env.JIBAO_MIGRATE_URL || null,
    appRole: env.JIBAO_APP_ROLE || 'jibao_app',
    auditHash: env.JIBAO_AUDIT_HASH || 'sha256', // checked at start: sha256 or sm3
    auditKeyFile: env.JIBAO_AUDIT_KEY_FILE ? path.resolve(env.JIBAO_AUDIT_KEY_FILE) : undefined,
    auditCheckpointDir: env.JIBAO_AUDIT_CHECKPOINT_DIR
      ? path.resolve(env.JIBAO_AUDIT_CHECKPOINT_DIR)
      : undefined,
    publicUrl: parsePublicUrl(env.JIBAO_PUBLIC_URL),
    trustProxy: parseTrustProxy(env.JIBAO_TRUST_PROXY),
  };
}

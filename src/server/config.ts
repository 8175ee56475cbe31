import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  demo: boolean;
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
}

export const DEMO_PASSWORD = 'Jibao@2026';

export function loadConfig(env = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || null,
    dataDir: path.resolve(env.JIBAO_DATA_DIR ?? './data'),
    demo: env.JIBAO_DEMO !== '0',
    adminPassword: env.JIBAO_ADMIN_PASSWORD || DEMO_PASSWORD,
    migrateUrl: env.JIBAO_MIGRATE_URL || null,
    appRole: env.JIBAO_APP_ROLE || 'jibao_app',
    auditHash: env.JIBAO_AUDIT_HASH || 'sha256', // checked at start: sha256 or sm3
    auditKeyFile: env.JIBAO_AUDIT_KEY_FILE ? path.resolve(env.JIBAO_AUDIT_KEY_FILE) : undefined,
    auditCheckpointDir: env.JIBAO_AUDIT_CHECKPOINT_DIR
      ? path.resolve(env.JIBAO_AUDIT_CHECKPOINT_DIR)
      : undefined,
  };
}

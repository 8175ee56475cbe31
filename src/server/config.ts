import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  demo: boolean;
  adminPassword: string;
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
  };
}

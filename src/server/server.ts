import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type EmbeddedDb, startEmbedded } from '../db/embedded.js';
import { createDb, createPool, migrateDatabase, poolSize } from '../db/index.js';
import { type AuditCheckpoints, startAuditProtection } from '../floor/checkpoints.js';
import { type Clock, systemClock } from '../floor/clock.js';
import { startWorkers, type Workers } from '../floor/workers.js';
import { bootstrap } from '../modules/units/bootstrap.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { seedDemoActivity } from './demo-activity.js';
import { WORKERS } from './modules.js';

export interface Running {
  app: FastifyInstance;
  url: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Start Jibao: database (embedded unless DATABASE_URL), migrations, first-start data, HTTP, workers. */
export async function startServer(
  config: Config,
  opts: { clock?: Clock; logger?: boolean; workers?: boolean; log?: (m: string) => void } = {},
): Promise<Running> {
  const log = opts.log ?? ((m: string) => console.log(m));
  let embedded: EmbeddedDb | null = null;
  let url = config.databaseUrl;
  if (!url) {
    log(`启动内置 PostgreSQL（数据目录 ${config.dataDir}）… / starting embedded PostgreSQL`);
    embedded = await startEmbedded(config.dataDir);
    url = embedded.url;
  }
  const pool = createPool(url, poolSize());
  let workers: Workers | null = null;
  let auditCheckpoints: AuditCheckpoints | null = null;
  let app: FastifyInstance | null = null;
  try {
    const owner = {
      migrateUrl: embedded?.migrateUrl ?? config.migrateUrl,
      appRole: embedded?.appRole ?? config.appRole,
    };
    await migrateDatabase(pool, { ...owner, log });
    const db = createDb(pool);
    const clock = opts.clock ?? systemClock;
    const { dataDir, auditHash: hash, auditKeyFile: keyFile, auditCheckpointDir: checkpointDir } = config;
    auditCheckpoints = await startAuditProtection({ db, clock, log, dataDir, hash, keyFile, checkpointDir });
    await bootstrap({ db, clock, demo: config.demo, adminPassword: config.adminPassword, log });
    if (config.demo && config.demoActivity) {
      try {
        const seeded = await seedDemoActivity(db, clock.now());
        if (seeded)
          log('已载入演示事件、本月排班和责任人确认。/ demo events, roster and responsible persons loaded');
      } catch (e) {
        log(`演示事件未能载入（不影响使用）/ demo events not loaded: ${(e as Error).message}`);
      }
    }
    // publicUrl and trustProxy go to the app's CSRF origin check and Fastify; passed as a variable so this
    // compiles whether or not AppDeps declares them yet
    const deps = {
      db,
      pool,
      clock,
      logger: opts.logger ?? false,
      webDir: path.join(repoRoot, 'dist/web'),
      publicUrl: config.publicUrl,
      trustProxy: config.trustProxy,
    };
    app = await buildApp(deps);
    await app.deps.hub.start();
    await app.listen({ port: config.port, host: config.host });
    if (opts.workers !== false) workers = startWorkers({ db, pool, clock, log }, WORKERS);
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    let stopped = false;
    return {
      app,
      url: `http://127.0.0.1:${port}`,
      databaseUrl: url,
      async stop() {
        if (stopped) return;
        stopped = true;
        // each step runs even if an earlier one failed (e.g. the database went down first)
        const steps: Array<() => Promise<unknown> | undefined> = [
          () => workers?.stop(),
          () => auditCheckpoints?.stop(), // the last checkpoint, before the pool closes
          () => app!.deps.hub.stop(),
          () => app!.close(),
          () => pool.end(),
          () => embedded?.stop(),
        ];
        for (const s of steps) {
          try {
            await s();
          } catch (e) {
            log(`stopping: ${(e as Error).message}`);
          }
        }
      },
    };
  } catch (e) {
    await workers?.stop();
    await auditCheckpoints?.stop();
    await app?.close().catch(() => {});
    await pool.end().catch(() => {});
    await embedded?.stop();
    throw e;
  }
}

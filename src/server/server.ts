import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type EmbeddedDb, startEmbedded } from '../db/embedded.js';
import { createDb, createPool, type Db, migrateDatabase, poolSize } from '../db/index.js';
import { type AuditCheckpoints, startAuditProtection } from '../floor/checkpoints.js';
import { type Clock, systemClock } from '../floor/clock.js';
import { inTx, systemCtx } from '../floor/context.js';
import { startWorkers, type Workers } from '../floor/workers.js';
import { bootstrap } from '../modules/units/bootstrap.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { loadDemoActivity } from './demo-activity.js';
import { DEMOS, WORKERS } from './modules.js';

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
    const boot = await bootstrap({ db, clock, demo: config.demo, adminPassword: config.adminPassword, log });
    if (boot.demoLoaded) {
      // two years of the demo city's reporting, done through the API on a clock walking up to now
      // (JIBAO_DEMO_ACTIVITY=0: the city alone); then each module's own demo data (inspections …) as of now
      if (config.demoActivity !== false) {
        const t0 = Date.now();
        try {
          const a = await loadDemoActivity({ db, pool, now: clock.now(), log });
          log(
            `已生成演示业务数据：${a.events} 起事件（${((Date.now() - t0) / 1000).toFixed(1)} 秒）。/ demo activity: ${a.events} events`,
          );
        } catch (e) {
          log(`演示业务数据生成中断 / demo activity stopped: ${(e as Error).message}`);
        }
      }
      await loadModuleDemos({ db, clock, log });
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

/**
 * The modules' demo data on the first start of a demo database, each module in its own transaction; a module whose
 * demo fails is logged and skipped (the demo city still starts).
 */
async function loadModuleDemos(deps: { db: Db; clock: Clock; log: (m: string) => void }): Promise<void> {
  for (const d of DEMOS) {
    try {
      await inTx(systemCtx(deps), (ctx) => d.load(ctx));
      deps.log(`已载入演示数据：${d.name} / demo data loaded: ${d.name}`);
    } catch (e) {
      deps.log(`演示数据未能载入：${d.name} / demo data of ${d.name} failed: ${(e as Error).message}`);
    }
  }
}

/**
 * A real Jibao server for browser tests and screenshots: embedded PostgreSQL in a temp data directory, demo
 * data, a free port, and the built web app (dist/web).
 *
 * It uses `startServer` from src/server/server.ts. While the server cannot serve dist/web (two not-found
 * handlers: src/server/plugins/errors.ts and the SPA fallback in src/server/app.ts — reported to the backend
 * owners), it falls back to assembling the same pieces with the SPA fallback added here.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { startEmbedded } from '../../src/db/embedded.js';
import { createDb, createPool, migrateDatabase } from '../../src/db/index.js';
import { systemClock } from '../../src/floor/clock.js';
import { startWorkers } from '../../src/floor/workers.js';
import { bootstrap } from '../../src/modules/units/bootstrap.js';
import { buildApp } from '../../src/server/app.js';
import { WORKERS } from '../../src/server/modules.js';
import { repoRoot, startServer } from '../../src/server/server.js';

export interface JibaoServer {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startJibao(
  opts: {
    port?: number;
    dataDir?: string;
    quiet?: boolean;
    /** Serve dist/web file by file on each request, so a rebuild while it runs is picked up (looking at the UI). */
    liveWeb?: boolean;
  } = {},
): Promise<JibaoServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-e2e-'));
  // run as root, the embedded PostgreSQL runs as its own user and must reach the directory
  fs.chmodSync(dataDir, 0o755);
  const port = opts.port ?? (await freePort());
  const log = opts.quiet ? () => {} : (m: string) => console.log(m);
  const config = {
    port,
    host: '127.0.0.1',
    databaseUrl: null,
    dataDir,
    demo: true,
    // the demo as a fresh clone starts it: a few events in different states, this month's roster …
    demoActivity: true,
    adminPassword: 'Jibao@2026',
  };
  if (!opts.liveWeb) {
    try {
      const running = await startServer(config, { log });
      return { url: running.url, dataDir, stop: () => running.stop() };
    } catch (e) {
      if (!/Not found handler already set/.test(String((e as Error)?.message))) throw e;
    }
  }
  // Fallback: the same start-up with the SPA fallback registered here.
  const embedded = await startEmbedded(dataDir);
  const pool = createPool(embedded.url, 10);
  await migrateDatabase(pool, { migrateUrl: embedded.migrateUrl, appRole: embedded.appRole });
  const db = createDb(pool);
  await bootstrap({ db, clock: systemClock, demo: true, adminPassword: config.adminPassword, log });
  const app = await buildApp({ db, pool, clock: systemClock, webDir: null });
  const webDir = path.join(repoRoot, 'dist/web');
  await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ['index.html'] });
  app.get('/*', { schema: { hide: true }, config: { public: true } }, (req, reply) => {
    if (req.url.startsWith('/api/'))
      return reply.code(404).send({ error: { code: 'not_found', message: 'not found', details: {} } });
    // files built after the server started (a rebuild while it runs)
    const rel = decodeURIComponent(req.url.split('?')[0]).replace(/^\/+/, '');
    const file = path.join(webDir, rel);
    if (rel && file.startsWith(webDir) && fs.existsSync(file) && fs.statSync(file).isFile())
      return reply.sendFile(rel);
    return reply.type('text/html').sendFile('index.html');
  });
  await app.deps.hub.start();
  await app.listen({ port, host: '127.0.0.1' });
  const workers = startWorkers({ db, pool, clock: systemClock, log }, WORKERS);
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async stop() {
      await workers.stop();
      await app.deps.hub.stop();
      await app.close();
      await pool.end();
      await embedded.stop();
    },
  };
}

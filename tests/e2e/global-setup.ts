import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot } from '../../src/server/server.js';
import { type JibaoServer, startJibao } from './server.js';

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Build dist/web when it is missing or older than its sources (src/web, vite.config.ts). */
function buildWebIfStale() {
  const built = path.join(repoRoot, 'dist/web/index.html');
  const srcTime = Math.max(
    newest(path.join(repoRoot, 'src/web')),
    fs.statSync(path.join(repoRoot, 'vite.config.ts')).mtimeMs,
  );
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= srcTime) return;
  // vitest sets NODE_ENV=test; the build must be a production build
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error('vite build failed');
}

let server: JibaoServer | null = null;

export async function setup(project: TestProject) {
  if (!fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'))
    throw new Error('Chromium not found: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)');
  buildWebIfStale();
  server = await startJibao({ quiet: true });
  project.provide('baseUrl', server.url);
}

export async function teardown() {
  if (!server) return;
  const dir = server.dataDir;
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

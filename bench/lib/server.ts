/** Start the Jibao server (src/server/main.ts) as a child process, watch its memory, stop or kill it. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request, sleep } from './http.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process in MiB: current and the kernel's high-water mark. */
export function rssOf(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export interface ServerProc {
  url: string;
  port: number;
  child: ChildProcess;
  pid: number;
  log: string[];
  /** Highest RSS seen by the sampler (MiB) since the last reset. */
  peakRssMb(): number;
  resetPeak(): void;
  exited: Promise<number | null>;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export async function startServerProc(opts: {
  env: Record<string, string | undefined>;
  port?: number;
  timeoutMs?: number;
  quiet?: boolean;
  nodeArgs?: string[];
}): Promise<ServerProc> {
  const port = opts.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(repoRoot, 'src/server/main.ts')],
    {
      cwd: repoRoot,
      env: { ...process.env, JIBAO_HOST: '127.0.0.1', PORT: String(port), JIBAO_LOG: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log: string[] = [];
  const keep = (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.trim()) log.push(line);
    while (log.length > 500) log.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let peak = 0;
  const sampler = setInterval(() => {
    const m = rssOf(child.pid!);
    if (m && m.rssMb > peak) peak = m.rssMb;
  }, 250);
  sampler.unref();
  exited.then(() => clearInterval(sampler));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + (opts.timeoutMs ?? 120_000);
  let dead = false;
  exited.then(() => {
    dead = true;
  });
  for (;;) {
    if (dead) throw new Error(`server exited during start:\n${log.slice(-30).join('\n')}`);
    try {
      const r = await request(url, 'GET', '/healthz', { timeoutMs: 2000 });
      if (r.status === 200) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy:\n${log.slice(-30).join('\n')}`);
    }
    await sleep(200);
  }
  return {
    url,
    port,
    child,
    pid: child.pid!,
    log,
    peakRssMb: () => peak,
    resetPeak: () => {
      peak = 0;
    },
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 25_000);
      await exited;
      clearTimeout(t);
    },
    async kill9() {
      if (child.exitCode !== null || child.signalCode) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

// npm start: build the web app if it is missing or older than its sources, then run the server.
// `node scripts/start.mjs --no-build` skips the build.
//
// Stopping: SIGINT (Ctrl-C), SIGTERM (kill, systemd) and SIGHUP (the terminal closed) are passed on to the
// child running at the time, so the server stops its HTTP side, workers and embedded PostgreSQL in order. The
// server runs in its own process group, so a Ctrl-C in the terminal reaches this process only, not the database
// under running requests. It also runs with an IPC channel to this process: if this process dies any other way
// (kill -9, a crash), the channel closes and the server stops itself instead of living on with its database.
//
// Under `npm start`, npm runs the script through `sh -c`: the script `exec`s node, since a shell waiting for its
// command keeps SIGINT to itself and dies of SIGTERM without passing it on. npm passes SIGINT and SIGTERM on to
// us, but dies itself of SIGHUP or kill -9. So under npm we also watch our parent (on Linux; and the shell's
// parent, should a shell sit between): when it is gone, we stop the server as on SIGTERM. Run directly
// (`node scripts/start.mjs`), there is no such watch: the shell that started us may exit and leave us running.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const built = path.join(root, 'dist/web/index.html');
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

let child = null;
let stopSignal = null;
function stop(sig) {
  stopSignal ??= sig;
  if (child) child.kill(sig);
  else process.exit(128 + os.constants.signals[sig]);
}
for (const sig of STOP_SIGNALS) process.on(sig, () => stop(sig));

/** Parent pid of a process, from /proc (null when it is gone or has exited). */
function parentOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return state === 'Z' || state === 'X' ? null : Number(ppid);
  } catch {
    return null;
  }
}

if (process.env.npm_lifecycle_event && fs.existsSync('/proc/self/stat')) {
  // [process, its parent when we started] pairs: a dead process's children are given to another parent
  const chain = [[process.pid, process.ppid]];
  const shell = (() => {
    try {
      return /^([^\0]*\/)?(sh|dash|bash)\0-c\0/.test(
        fs.readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8'),
      );
    } catch {
      return false;
    }
  })();
  if (shell) chain.push([process.ppid, parentOf(process.ppid)]);
  setInterval(() => {
    if (stopSignal || chain.every(([pid, parent]) => parentOf(pid) === parent)) return;
    console.log('npm start 已退出，正在停止服务… / npm start is gone, stopping the server');
    stop('SIGTERM');
  }, 500).unref();
}

/**
 * Run a child to its end, passing stop signals on to it; resolves with its exit code. The server (`ipc`) runs
 * in its own process group and with an IPC channel, see above.
 */
function run(args, { ipc = false } = {}) {
  return new Promise((resolve) => {
    child = spawn(process.execPath, args, {
      cwd: root,
      env: process.env,
      stdio: ipc ? ['inherit', 'inherit', 'inherit', 'ipc'] : 'inherit',
      detached: ipc,
    });
    child.on('error', (e) => {
      console.error(e);
      child = null;
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      child = null;
      resolve(code ?? (signal ? 128 + os.constants.signals[signal] : 0));
    });
  });
}

const webSrc = path.join(root, 'src/web');
const stale = () => !fs.existsSync(built) || newest(webSrc) > fs.statSync(built).mtimeMs;
if (!process.argv.includes('--no-build') && fs.existsSync(webSrc) && stale()) {
  console.log('构建网页界面… / building the web UI');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const code = await run([vite, 'build', '--logLevel', 'warn']);
  if (stopSignal) process.exit(128 + os.constants.signals[stopSignal]);
  if (code !== 0) process.exit(code);
}
process.exit(await run(['--import', 'tsx', path.join(root, 'src/server/main.ts')], { ipc: true }));

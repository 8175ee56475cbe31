/** CPU time (ms) used so far by a process, and by a PostgreSQL postmaster with all its children. */
import fs from 'node:fs';

const TICK = 100; // USER_HZ on Linux

function stat(pid: number): { ppid: number; ms: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields after the name: state ppid ... utime(14) stime(15) → indexes 11, 12 here
    return { ppid: Number(f[1]), ms: ((Number(f[11]) + Number(f[12])) * 1000) / TICK };
  } catch {
    return null;
  }
}

export function cpuMsOf(pid: number): number {
  return stat(pid)?.ms ?? 0;
}

/** CPU of a process tree rooted at `pid` (live processes only). */
export function treeCpuMs(pid: number): number {
  let total = 0;
  const kids = new Map<number, number[]>();
  for (const d of fs.readdirSync('/proc')) {
    const p = Number(d);
    if (!p) continue;
    const s = stat(p);
    if (!s) continue;
    kids.set(s.ppid, [...(kids.get(s.ppid) ?? []), p]);
    if (p === pid) total += s.ms;
  }
  const walk = (p: number) => {
    for (const k of kids.get(p) ?? []) {
      total += stat(k)?.ms ?? 0;
      walk(k);
    }
  };
  walk(pid);
  return total;
}

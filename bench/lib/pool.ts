/** Closing the bench's own pg pool before PostgreSQL is stopped. */
import type pg from 'pg';

/**
 * Close a pool and wait until its connections are really gone. `pool.end()` resolves as soon as it has asked
 * each idle client to end, before PostgreSQL has read their Terminate message; stopping PostgreSQL right then
 * (fast shutdown) sends those backends SIGTERM, and one that had not yet read its Terminate answers with
 * `FATAL 57P01 terminating connection due to administrator command` to a client the pool still listens to.
 * Without a pool 'error' handler that killed the bench in its clean-up, before the results were written.
 */
export async function endPool(pool: pg.Pool, ms = 10_000): Promise<void> {
  const clients: Array<pg.Client & { _ended?: boolean }> = [...((pool as any)._clients ?? [])];
  const gone = Promise.all(
    clients.map((c) => (c._ended ? null : new Promise<void>((r) => c.once('end', () => r())))),
  );
  await pool.end();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([gone, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

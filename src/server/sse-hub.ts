import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '../db/index.js';
import { type Clock, systemClock } from '../floor/clock.js';
import { OUTBOX_CHANNEL } from '../floor/outbox.js';
import { onSignal, receiveSignal, SIGNAL_CHANNEL } from '../floor/signal.js';
import { liveSessions } from '../modules/auth/auth.repo.js';

export type OutboxRow = {
  id: number;
  audience: string;
  type: string;
  data: unknown;
};

const PAGE = 5000;
/** A transaction holding an outbox id longer than this is not waited for live (Last-Event-ID still has it). */
const GAP_TTL_MS = 5 * 60_000;
const MAX_GAPS = 50_000;
/** How often open streams' sessions are checked against the database (expiry; a lost revocation signal). */
const SESSION_CHECK_MS = 1000;

/** The session a stream was opened with: it ends when the session does, or when its roles or unit change. */
export interface StreamSession {
  userId: string;
  tokenHash: string;
  roles: string[];
  unitId: string;
}

interface Client {
  audiences: Set<string>;
  send(row: OutboxRow): void;
  end?(): void;
  session?: StreamSession;
}

/**
 * Fan-out of outbox rows to open SSE connections of this instance. One LISTEN connection per instance;
 * a NOTIFY (from any instance) wakes it, and it reads the rows it has not delivered yet. Rows can commit
 * out of id order: an id skipped below the highest one seen is remembered as a gap and read again on the
 * following wake-ups until it shows up (or, for a rolled-back insert, until it expires). Each wake-up
 * therefore reads only new rows, not a window of old ones.
 */
export class Hub {
  private clients = new Set<Client>();
  private listener: pg.PoolClient | null = null;
  private high = 0;
  /** ids below `high` not seen yet (their transaction had not committed), with when they were noticed */
  private gaps = new Map<number, number>();
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private sessionTimer: NodeJS.Timeout | null = null;
  private checking = false;
  private clock: Clock = systemClock;
  private unsubscribe: Array<() => void> = [];

  constructor(
    private pool: pg.Pool,
    private db: Db,
  ) {
    this.unsubscribe.push(
      onSignal(db, 'session.revoked', (p) =>
        this.endWhere((s) =>
          p.tokenHash ? s.tokenHash === p.tokenHash : s.userId === p.userId && s.tokenHash !== p.keep,
        ),
      ),
      onSignal(db, 'outbox.wake', () => this.wake()),
    );
  }

  /** The clock session expiry is judged by (the app's injected clock). */
  useClock(clock: Clock): void {
    this.clock = clock;
  }

  async start(): Promise<void> {
    const r = await this.pool.query('select coalesce(max(id), 0)::bigint as id from outbox');
    this.high = Number(r.rows[0].id);
    await this.connect();
    // A slow sweep as a safety net in case a NOTIFY or the LISTEN connection is lost.
    this.timer = setInterval(() => this.wake(), 2000);
    this.timer.unref();
    this.sessionTimer = setInterval(() => void this.checkSessions(), SESSION_CHECK_MS);
    this.sessionTimer.unref();
  }

  /** End the open streams whose session matches. */
  endWhere(match: (s: StreamSession) => boolean): number {
    let n = 0;
    for (const c of this.clients)
      if (c.session && match(c.session)) {
        this.clients.delete(c);
        c.end?.();
        n++;
      }
    return n;
  }

  /** Fallback for a lost signal and for expiry: end streams whose session is gone, expired or changed. */
  async checkSessions(): Promise<void> {
    if (this.checking || this.closed) return;
    const open = [...this.clients].filter((c) => c.session);
    if (open.length === 0) return;
    this.checking = true;
    try {
      const live = new Map(
        (
          await liveSessions(this.db, [...new Set(open.map((c) => c.session!.tokenHash))], this.clock.now())
        ).map((r) => [r.token_hash, r]),
      );
      const sameRoles = (a: string[], b: string[]) => a.length === b.length && a.every((r) => b.includes(r));
      this.endWhere((s) => {
        const row = live.get(s.tokenHash);
        return !row || row.unit_id !== s.unitId || !sameRoles(row.roles, s.roles);
      });
    } catch {
      /* the database may be away for a moment: try again on the next tick */
    } finally {
      this.checking = false;
    }
  }

  private releaseListener: ((destroy?: boolean) => void) | null = null;

  private async connect() {
    if (this.closed) return;
    try {
      const c = await this.pool.connect();
      let released = false;
      const release = (destroy = false) => {
        if (released) return;
        released = true;
        c.release(destroy);
      };
      this.listener = c;
      this.releaseListener = release;
      c.on('notification', (msg) => {
        if (msg.channel === SIGNAL_CHANNEL) receiveSignal(this.db, msg.payload ?? '');
        else this.wake();
      });
      c.on('error', () => {
        if (this.listener === c) this.listener = null;
        release(true);
        if (!this.closed) setTimeout(() => this.connect(), 500).unref();
      });
      await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
      await c.query(`LISTEN ${SIGNAL_CHANNEL}`);
    } catch {
      if (!this.closed) setTimeout(() => this.connect(), 1000).unref();
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.sessionTimer) clearInterval(this.sessionTimer);
    for (const u of this.unsubscribe) u();
    // open streams end; browsers reconnect (to another instance) and catch up with Last-Event-ID
    for (const c of this.clients) c.end?.();
    this.clients.clear();
    const l = this.listener;
    const release = this.releaseListener;
    this.listener = null;
    if (l && release) {
      try {
        await l.query('UNLISTEN *');
        release();
      } catch {
        release(true); // the database may already be going down
      }
    }
  }

  add(client: Client): () => void {
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  get size() {
    return this.clients.size;
  }

  wake(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    this.pump()
      .catch(() => {})
      .finally(() => {
        this.pumping = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async pump() {
    const gapIds = [...this.gaps.keys()];
    const r = await this.db.execute<OutboxRow>(
      sql`select id, audience, type, data from outbox where id > ${this.high} ${
        gapIds.length ? sql`or id = any(${`{${gapIds.join(',')}}`}::bigint[])` : sql``
      } order by id limit ${PAGE}`,
    );
    const now = Date.now();
    let top = this.high;
    for (const row of r.rows) {
      const id = Number(row.id);
      if (id <= this.high) {
        if (this.gaps.delete(id)) this.deliver(row, id);
        continue;
      }
      for (let g = top + 1; g < id && this.gaps.size < MAX_GAPS; g++) this.gaps.set(g, now);
      top = id;
      this.deliver(row, id);
    }
    this.high = top;
    if (r.rows.length === PAGE) this.again = true;
    for (const [id, at] of this.gaps) if (now - at > GAP_TTL_MS) this.gaps.delete(id);
  }

  private deliver(row: OutboxRow, id: number) {
    for (const c of this.clients) if (c.audiences.has(row.audience)) c.send({ ...row, id });
  }

  /** Rows a reconnecting client missed (Last-Event-ID). */
  async since(lastId: number, audiences: string[]): Promise<OutboxRow[]> {
    const r = await this.db.execute<OutboxRow>(sql`
      select id, audience, type, data from outbox
      where id > ${lastId} and audience in (${sql.join(
        audiences.map((a) => sql`${a}`),
        sql`, `,
      )})
      order by id limit 10000`);
    return r.rows.map((x) => ({ ...x, id: Number(x.id) }));
  }
}

import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '../db/index.js';
import { OUTBOX_CHANNEL } from '../modules/shared/outbox.js';

export type OutboxRow = {
  id: number;
  audience: string;
  type: string;
  data: unknown;
};

interface Client {
  audiences: Set<string>;
  send(row: OutboxRow): void;
}

/**
 * Fan-out of outbox rows to open SSE connections of this instance. One LISTEN connection per instance;
 * a NOTIFY (from any instance) wakes it, and it reads the rows it has not delivered yet. Rows can commit
 * out of id order, so it re-reads a window behind the highest id and drops ids it already delivered.
 */
export class Hub {
  private clients = new Set<Client>();
  private listener: pg.PoolClient | null = null;
  private high = 0;
  private delivered = new Set<number>();
  private deliveredOrder: number[] = [];
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private pool: pg.Pool,
    private db: Db,
  ) {}

  async start(): Promise<void> {
    const r = await this.pool.query('select coalesce(max(id), 0)::bigint as id from outbox');
    this.high = Number(r.rows[0].id);
    await this.connect();
    // A slow sweep as a safety net in case a NOTIFY or the LISTEN connection is lost.
    this.timer = setInterval(() => this.wake(), 2000);
    this.timer.unref();
  }

  private async connect() {
    if (this.closed) return;
    try {
      const c = await this.pool.connect();
      this.listener = c;
      c.on('notification', () => this.wake());
      c.on('error', () => {
        this.listener = null;
        c.release(true);
        setTimeout(() => this.connect(), 500).unref();
      });
      await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch {
      setTimeout(() => this.connect(), 1000).unref();
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.listener) {
      try {
        await this.listener.query(`UNLISTEN ${OUTBOX_CHANNEL}`);
      } catch {
        /* closing anyway */
      }
      this.listener.release();
      this.listener = null;
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
    const low = Math.max(0, this.high - 500);
    const r = await this.db.execute<OutboxRow>(
      sql`select id, audience, type, data from outbox where id > ${low} order by id limit 5000`,
    );
    for (const row of r.rows) {
      const id = Number(row.id);
      if (this.delivered.has(id) || id <= low) continue;
      this.delivered.add(id);
      this.deliveredOrder.push(id);
      if (id > this.high) this.high = id;
      for (const c of this.clients) if (c.audiences.has(row.audience)) c.send({ ...row, id });
    }
    if (r.rows.length === 5000) this.again = true;
    while (this.deliveredOrder.length > 20_000) this.delivered.delete(this.deliveredOrder.shift()!);
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

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../floor/errors.js';
import { registerMessages } from '../../floor/i18n.js';

registerMessages(
  { 'error.busy': '系统繁忙，请稍后重试（约 {retryAfter} 秒后）。没有保存任何内容。' },
  {
    'error.busy': 'The system is busy; please retry in about {retryAfter} s. Nothing was saved.',
  },
);

/**
 * Bounded admission: each instance takes at most `maxInflight` API requests at once and answers the rest
 * at once with 503 `busy` and `Retry-After`, before any work (no session look-up, no body parsed), instead
 * of queueing them in memory until every request is slow. Reads are shed first: a read is refused once
 * `maxInflightReads` requests (of any kind) are in flight, a write only at `maxInflight` — so under a surge
 * the capacity left is kept for submits. Live streams and `/healthz` are never counted nor refused.
 */
export interface AdmissionOptions {
  /** Requests in flight (reads and writes together) past which writes are refused too. */
  maxInflight: number;
  /** Requests in flight past which reads are refused (lower: reads shed first). */
  maxInflightReads: number;
  /** Seconds the client is told to wait (`Retry-After`, `details.retryAfter`). */
  retryAfter: number;
}

const DEFAULT_MAX_INFLIGHT = 256;

/** The limits from the environment: `JIBAO_MAX_INFLIGHT` (writes), `JIBAO_MAX_INFLIGHT_READS` (reads). */
export function admissionFromEnv(env: NodeJS.ProcessEnv = process.env): AdmissionOptions {
  const int = (v: string | undefined) => {
    const n = Number(v);
    return v !== undefined && v !== '' && Number.isInteger(n) && n > 0 ? n : null;
  };
  const maxInflight = int(env.JIBAO_MAX_INFLIGHT) ?? DEFAULT_MAX_INFLIGHT;
  const reads = int(env.JIBAO_MAX_INFLIGHT_READS) ?? Math.max(1, Math.floor(maxInflight / 2));
  return { maxInflight, maxInflightReads: Math.min(reads, maxInflight), retryAfter: 1 };
}

/** Routes never counted nor refused: open live streams, and the health check a load balancer polls. */
const EXEMPT = new Set(['/api/stream', '/healthz']);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AdmissionStats {
  inflight: number;
  refusedReads: number;
  refusedWrites: number;
}

export function registerAdmission(app: FastifyInstance, opts: AdmissionOptions = admissionFromEnv()): void {
  const stats: AdmissionStats = { inflight: 0, refusedReads: 0, refusedWrites: 0 };
  app.decorate('admission', stats);
  const admitted = new WeakSet<FastifyRequest>();
  const release = (req: FastifyRequest) => {
    if (!admitted.delete(req)) return;
    stats.inflight--;
  };
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const route = req.routeOptions.url;
    if (route !== undefined && EXEMPT.has(route)) return;
    if (!req.url.startsWith('/api/')) return; // the web app's files are cheap and cached
    const read = READS.has(req.method);
    const limit = read ? opts.maxInflightReads : opts.maxInflight;
    if (stats.inflight >= limit) {
      if (read) stats.refusedReads++;
      else stats.refusedWrites++;
      reply.header('Retry-After', String(opts.retryAfter));
      throw new AppError(503, 'busy', { retryAfter: opts.retryAfter });
    }
    stats.inflight++;
    admitted.add(req);
    // whichever comes first: the response is written, or the connection closes under it
    reply.raw.once('close', () => release(req));
  });
  app.addHook('onResponse', async (req) => release(req));
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Requests in flight and refused on this instance (bounded admission). */
    admission: AdmissionStats;
  }
}

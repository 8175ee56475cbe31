import { sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../floor/context.js';
import { isGlobalAdmin } from '../auth/policy.js';

export interface StreamRow {
  stream: string;
  entries: number;
  lastSeq: number;
  lastAt: string;
}

/**
 * The registration log's streams with their entry counts, newest activity first. The auditor and the root
 * administrators see every stream; an administrator of a subtree the streams of the units and people in it.
 */
export async function listStreams(
  ctx: Ctx,
  a: Actor,
  q: { prefix?: string; limit?: number },
): Promise<StreamRow[]> {
  const all = a.roles.includes('auditor') || isGlobalAdmin(a);
  const scope = all
    ? sql`true`
    : sql`(
        (s.stream like 'unit:%' and exists (select 1 from units su where su.id::text = split_part(s.stream, ':', 2)
           and su.path @> array[${a.acting.id}]::uuid[]))
        or (s.stream like 'user:%' and exists (select 1 from users sp join units su on su.id = sp.unit_id
           where sp.id::text = split_part(s.stream, ':', 2) and su.path @> array[${a.acting.id}]::uuid[])))`;
  const r = await ctx.tx.execute<any>(sql`
    select s.stream, s.entries, s.last_seq, s.last_at from (
      select stream, count(*)::int as entries, max(seq)::int as last_seq, max(at) as last_at
      from audit_log
      ${q.prefix ? sql`where stream like ${`${q.prefix.replace(/[%_\\]/g, '\\$&')}%`}` : sql``}
      group by stream) s
    where ${scope}
    order by s.last_at desc, s.stream limit ${q.limit ?? 200}`);
  return r.rows.map((x) => ({
    stream: x.stream,
    entries: Number(x.entries),
    lastSeq: Number(x.last_seq),
    lastAt: new Date(x.last_at).toISOString(),
  }));
}

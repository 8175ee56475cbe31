import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { audit } from '../accountability/audit.js';
import { hashPassword } from '../auth/password.js';
import { seedCategories } from '../emergency/categories.js';
import type { Clock } from '../shared/clock.js';
import type { Ctx } from '../shared/context.js';
import { seedRuleSets } from '../shared/rule-sets.js';
import { loadDemo } from './demo.js';
import { insertUnit } from './units.repo.js';

/**
 * First start of an empty database: the rule sets and category tree (data), the root unit and the
 * `admin` user, and — unless JIBAO_DEMO=0 — the demo city. Safe to run on every start and from several
 * instances at once (advisory lock).
 */
export async function bootstrap(opts: {
  db: Db;
  clock: Clock;
  demo: boolean;
  adminPassword: string;
  log?: (m: string) => void;
}): Promise<void> {
  await opts.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(4711)`);
    await seedRuleSets(tx as unknown as Db);
    await seedCategories(tx as unknown as Db);
    const hasUsers = await tx.execute(sql`select 1 from users limit 1`);
    if (hasUsers.rowCount) return;
    const ctx: Ctx = { actor: null, tx: tx as unknown as Db, clock: opts.clock, lang: 'zh-CN' };
    const root = await insertUnit(ctx.tx, {
      name: '全国',
      kind: 'area',
      level: 'nation',
      parentId: null,
      parentPath: [],
      divisionCode: null,
    });
    const r = await tx.execute<any>(sql`insert into users (username, password_hash, name, unit_id, roles)
      values ('admin', ${await hashPassword(opts.adminPassword)}, '系统管理员', ${root.id}, array['admin']::text[]) returning id`);
    await audit(ctx, {
      stream: `user:${r.rows[0].id}`,
      action: 'user_created',
      entityType: 'user',
      entityId: r.rows[0].id,
      unitId: root.id,
      data: { username: 'admin', firstStart: true },
    });
    if (opts.demo) {
      await loadDemo(ctx, root);
      opts.log?.('已载入演示数据（示例市）。/ demo data loaded');
    }
  });
}

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { audit } from '../../floor/audit.js';
import type { Clock } from '../../floor/clock.js';
import type { Ctx } from '../../floor/context.js';
import { seedRuleSets } from '../../floor/rule-sets.js';
import { hashPassword } from '../auth/password.js';
import { passwordProblems } from '../auth/password-policy.js';
import { seedCategories } from '../emergency/categories.js';
import { loadDemo } from './demo.js';
import { insertUnit } from './units.repo.js';

const WEAK_ADMIN: Record<string, string> = {
  too_short: '少于 10 位 / shorter than 10 characters',
  same_as_username: '与用户名 admin 相同或以它为主体 / the username admin or built on it',
  too_common: '过于常见，容易被猜到 / too common, easy to guess',
};

/** Refuse to start with a weak JIBAO_ADMIN_PASSWORD: the administrator can reach every unit. */
export function checkAdminPassword(password: string): void {
  const problems = passwordProblems(password, 'admin');
  if (problems.length)
    throw new Error(
      `JIBAO_ADMIN_PASSWORD 太弱，拒绝启动：${problems.map((p) => WEAK_ADMIN[p]).join('；')}。` +
        '请设置至少 10 位、不是常见密码的管理员密码。 / JIBAO_ADMIN_PASSWORD is too weak; refusing to start. ' +
        'Set an administrator password of at least 10 characters that is not a common one.',
    );
}

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
}): Promise<{ demoLoaded: boolean }> {
  checkAdminPassword(opts.adminPassword);
  return opts.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(4711)`);
    await seedRuleSets(tx as unknown as Db);
    await seedCategories(tx as unknown as Db);
    const hasUsers = await tx.execute(sql`select 1 from users limit 1`);
    if (hasUsers.rowCount) return { demoLoaded: false };
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
    return { demoLoaded: opts.demo };
  });
}

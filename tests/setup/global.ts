/**
 * Test database: the embedded PostgreSQL (when TEST_DATABASE_URL is unset) or the given server. We build
 * migrated template databases once; every test file then gets its own copy (CREATE DATABASE … TEMPLATE),
 * so files are isolated and can run in parallel. The owner (superuser) migrates; the tests' app connects as
 * the restricted app role, as in production, so they prove the app needs no more.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedDb, startEmbedded } from '../../src/db/embedded.js';
import { createDb, createPool, ensureRole, runMigrations } from '../../src/db/index.js';
import { ManualClock } from '../../src/floor/clock.js';
import { bootstrap } from '../../src/modules/units/bootstrap.js';

let embedded: EmbeddedDb | null = null;
let adminUrl = '';
let appUrl = '';
const APP_ROLE = 'jibao_app';
const templates: string[] = [];
const auditDir = path.resolve('.test-data', `audit-${process.pid}`);

function withDb(url: string, db: string) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function buildTemplate(name: string, demo: boolean) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const pool = createPool(withDb(adminUrl, name), 4);
  await runMigrations(pool, { appRole: APP_ROLE });
  await bootstrap({
    db: createDb(pool),
    clock: new ManualClock('2026-01-01T00:00:00Z'),
    demo,
    adminPassword: 'Jibao@2026',
  });
  await pool.end();
  templates.push(name);
}

export async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    adminUrl = external;
    appUrl = await externalAppUrl(external);
  } else {
    const dir = path.resolve('.test-data', `pg-${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
    embedded = await startEmbedded(dir, { fsync: false, appRole: APP_ROLE });
    adminUrl = withDb(embedded.migrateUrl, 'postgres');
    appUrl = withDb(embedded.url, 'postgres');
  }
  // servers started by tests sign log checkpoints with a key of this run, not one in their data directory
  fs.rmSync(auditDir, { recursive: true, force: true });
  process.env.JIBAO_AUDIT_KEY_FILE = path.join(auditDir, 'audit-key.pem');
  process.env.JIBAO_AUDIT_CHECKPOINT_DIR = path.join(auditDir, 'checkpoints');
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  await buildTemplate(`jibao_tpl_${tag}`, false);
  await buildTemplate(`jibao_tpl_demo_${tag}`, true);
  project.provide('adminUrl', adminUrl);
  project.provide('appUrl', appUrl);
  project.provide('template', `jibao_tpl_${tag}`);
  project.provide('templateDemo', `jibao_tpl_demo_${tag}`);
}

export async function teardown() {
  fs.rmSync(auditDir, { recursive: true, force: true });
  if (embedded) {
    const dir = path.resolve('.test-data', `pg-${process.pid}`);
    await embedded.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const left = await admin.query(`select datname from pg_database where datname like 'jibao_t%'`);
  for (const { datname } of left.rows) {
    if (templates.includes(datname) || datname.startsWith('jibao_test_'))
      await admin.query(`drop database if exists ${datname} with (force)`).catch(() => {});
  }
  await admin.end();
}

/**
 * An external server (CI's PostgreSQL, trust auth) shared by parallel runs: the app role is created once,
 * race-free (a duplicate is success); its attributes are changed only when it cannot sign in yet.
 */
async function externalAppUrl(ownerUrl: string): Promise<string> {
  const password = 'jibao-app-test';
  const c = new pg.Client({ connectionString: withDb(ownerUrl, 'postgres') });
  await c.connect();
  try {
    await ensureRole(c, APP_ROLE, `LOGIN PASSWORD ${c.escapeLiteral(password)}`);
    for (let attempt = 0; ; attempt++) {
      const r = await c.query('select rolcanlogin from pg_roles where rolname = $1', [APP_ROLE]);
      if (r.rows[0]?.rolcanlogin) break;
      try {
        await c.query(`alter role ${APP_ROLE} login password ${c.escapeLiteral(password)}`);
      } catch (e) {
        if (attempt > 5) throw e; // "tuple concurrently updated": another run is altering it; look again
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  } finally {
    await c.end();
  }
  const u = new URL(ownerUrl);
  u.username = APP_ROLE;
  u.password = password;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    appUrl: string;
    template: string;
    templateDemo: string;
  }
}

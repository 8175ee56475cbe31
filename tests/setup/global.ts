/**
 * Test database: the embedded PostgreSQL (when TEST_DATABASE_URL is unset) or the given server. We build
 * migrated template databases once; every test file then gets its own copy (CREATE DATABASE … TEMPLATE),
 * so files are isolated and can run in parallel.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedDb, startEmbedded } from '../../src/db/embedded.js';
import { createDb, createPool, runMigrations } from '../../src/db/index.js';
import { ManualClock } from '../../src/modules/shared/clock.js';
import { bootstrap } from '../../src/modules/units/bootstrap.js';

let embedded: EmbeddedDb | null = null;
let adminUrl = '';
const templates: string[] = [];

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
  await runMigrations(pool);
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
  } else {
    const dir = path.resolve('.test-data', `pg-${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
    embedded = await startEmbedded(dir, { fsync: false });
    adminUrl = withDb(embedded.url, 'postgres');
  }
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  await buildTemplate(`jibao_tpl_${tag}`, false);
  await buildTemplate(`jibao_tpl_demo_${tag}`, true);
  project.provide('adminUrl', adminUrl);
  project.provide('template', `jibao_tpl_${tag}`);
  project.provide('templateDemo', `jibao_tpl_demo_${tag}`);
}

export async function teardown() {
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

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    template: string;
    templateDemo: string;
  }
}

/**
 * Screenshots of the main screens, for looking at the UI (not committed anywhere):
 * `npx tsx tests/e2e/shots.ts http://127.0.0.1:3100 /tmp/shots [lang]`
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.js';

const base = process.argv[2] ?? 'http://127.0.0.1:3100';
const out = process.argv[3] ?? '/tmp/shots';
const lang = process.argv[4] ?? 'zh-CN';
const only = process.argv[5];
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const errors: string[] = [];

async function session(user: string | null, pages: Array<[string, string]>) {
  const ctx = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    timezoneId: 'Asia/Shanghai',
    locale: 'zh-CN',
  });
  await ctx.addInitScript((l) => localStorage.setItem('jibao.lang', l), lang);
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`[${user}] ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`[${user}] pageerror: ${e.message}`));
  if (user) {
    await page.goto(`${base}/login`);
    await page.fill('#username', user);
    await page.fill('#password', 'Jibao@2026');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }
  for (const [name, url] of pages) {
    if (only && !name.includes(only)) continue;
    await page.goto(`${base}${url}`);
    await page.waitForSelector('.page-header, .login-card', { timeout: 15_000 }).catch(() => {});
    await page.waitForTimeout(1200);
    await page.screenshot({ path: path.join(out, `${name}-${lang}.png`), fullPage: true });
  }
  await ctx.close();
}

await session(null, [['01-login', '/login']]);
await session('admin', [
  ['02-dashboard-admin', '/'],
  ['03-units', '/admin/units'],
  ['04-users', '/admin/users'],
  ['05-stats-wip', '/stats'],
  ['06-myunit-admin', '/me/unit'],
]);
const ev = process.env.SHOT_EVENT;
await session('cgz_xxy', [
  ...(ev ? ([['13-event-reporter', `/events/${ev}`]] as Array<[string, string]>) : []),
  ['07-new-report', '/reports/new'],
  ['08-inbox-reporter', '/inbox'],
  ['09-events', '/events'],
]);
await session('cgz_fgld', [['14-inbox-leader', '/inbox']]);
await session('dc_xxk', [
  ...(ev ? ([['15-event-county', `/events/${ev}`]] as Array<[string, string]>) : []),
  ['10-intake', '/intake'],
  ['11-dashboard-county', '/'],
  ['12-myunit-county', '/me/unit'],
]);
await browser.close();
fs.writeFileSync(path.join(out, `console-${lang}.txt`), errors.join('\n'));
console.log(errors.length ? errors.join('\n') : 'no console errors');

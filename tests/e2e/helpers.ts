import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.js';

export const PASSWORD = 'Jibao@2026';
export const baseUrl = () => inject('baseUrl');

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface Session {
  ctx: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen in the page. */
  errors: string[];
}

/** A fresh browser context (own cookies), signed in as `username` through the login page. */
export async function signIn(
  browser: Browser,
  username: string,
  opts: { lang?: 'zh-CN' | 'en' } = {},
): Promise<Session> {
  const ctx = await browser.newContext({
    baseURL: baseUrl(),
    viewport: { width: 1440, height: 900 },
    timezoneId: 'Asia/Shanghai',
    locale: 'zh-CN',
  });
  if (opts.lang) await ctx.addInitScript((l) => localStorage.setItem('jibao.lang', l), opts.lang);
  await watchCsp(ctx);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/login');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.locator('.app-header').waitFor();
  return { ctx, page, errors };
}

/** Every Content-Security-Policy violation in the context's pages is reported as a console error. */
export async function watchCsp(ctx: BrowserContext): Promise<void> {
  await ctx.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
}

/** Errors that are not the app's fault (a 4xx the test provoked on purpose is logged by Chromium as a failed resource). */
export function realErrors(errors: string[]): string[] {
  return errors.filter(
    (e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e),
  );
}

/** Type a wall-clock time (Asia/Shanghai) `minutesAgo` minutes back into an Ant Design date-time picker. */
export async function fillTimeAgo(page: Page, selector: string, minutesAgo: number): Promise<string> {
  const wall = new Date(Date.now() - minutesAgo * 60_000 + 8 * 3600_000).toISOString();
  const text = `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
  const input = page.locator(selector);
  await input.click();
  await input.fill(text);
  await input.press('Enter');
  return text;
}

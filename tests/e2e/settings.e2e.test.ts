import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReceiver } from '../../src/modules/notify/test-receivers.js';
import { apiAs } from './api.js';
import { baseUrl, launch, realErrors, signIn } from './helpers.js';
import {
  ALWAYS_ALLOWED,
  headerlessColumns,
  interfaceTexts,
  otherLanguage,
  sidewaysScroll,
  visit,
} from './sweep.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('settings on screens', () => {
  test('the admin creates a webhook channel and 发送测试 reaches the receiver; the auditor sees the log intact', async () => {
    const rx = await startReceiver();
    try {
      const { ctx, page, errors } = await signIn(browser, 'admin');
      const name = `E2E 推送 ${Date.now().toString(36)}`;
      await page.goto('/admin/channels');
      await page.locator('.page-title', { hasText: '外发通道' }).waitFor();
      await page.getByTestId('channel-add').click();
      await page.getByTestId('channel-name').fill(name);
      await page.getByTestId('channel-url').fill(`${rx.url}/hook`);
      await page.getByTestId('channel-save').click();
      await page.getByRole('cell', { name }).waitFor();

      await page.getByTestId(`channel-test-${name}`).click();
      await page.getByTestId('channel-test-send').click();
      const result = page.getByTestId('channel-test-result');
      await result.getByText('成功').waitFor();
      expect(rx.requests).toHaveLength(1);
      expect(rx.requests[0].json).toMatchObject({ kind: 'endpoint_test' });
      expect(rx.requests[0].json.body).toContain(name);
      expect(realErrors(errors)).toEqual([]);
      await ctx.close();

      // an auditor (三员分立) reads the registration log: the chain verifies
      const admin = await apiAs(baseUrl(), 'admin');
      const me = (await admin.get('/api/users?q=admin')).items.find((u: any) => u.username === 'admin');
      const username = `e2e_sj_${Date.now().toString(36)}`;
      await admin.post('/api/users', {
        username,
        password: 'Jibao@2026',
        name: '审计员',
        unitId: me.unitId,
        roles: ['auditor'],
      });
      const au = await signIn(browser, username);
      await au.page.locator('.app-menu').getByText('登记日志').click();
      await au.page.waitForURL(/\/admin\/audit-log$/);
      await au.page.getByTestId('audit-verify').getByText('完整').waitFor();
      await au.page.getByRole('cell', { name: 'notify:endpoints' }).waitFor();
      expect(realErrors(au.errors)).toEqual([]);
      await au.ctx.close();
    } finally {
      await rx.close();
    }
  });

  test('both pages speak one language and fit a 390 px phone, with a stream opened and the form shown', async () => {
    const { ctx, page, errors } = await signIn(browser, 'admin');
    await page.setViewportSize({ width: 390, height: 844 });
    const problems: string[] = [];
    for (const lang of ['zh-CN', 'en'] as const) {
      if (lang === 'en') await page.evaluate(() => localStorage.setItem('jibao.lang', 'en'));
      const check = async (where: string) => {
        const side = await sidewaysScroll(page);
        if (side) problems.push(`${lang} ${where}: ${side}`);
        const other = otherLanguage(await interfaceTexts(page), lang, ALWAYS_ALLOWED);
        if (other.length) problems.push(`${lang} ${where}: ${other.join(' | ')}`);
        const headless = await headerlessColumns(page);
        if (headless.length) problems.push(`${lang} ${where}: headerless ${headless.join(',')}`);
      };
      await page.goto('/admin/channels');
      await page.locator('.page-header').waitFor();
      await check('channels');
      await page.getByTestId('channel-add').click();
      await page.getByTestId('channel-name').waitFor();
      await check('channel form');
      await page.keyboard.press('Escape');
      await visit(page, '/admin/audit-log');
      await page.getByTestId('audit-verify').waitFor();
      await page
        .getByRole('button', { name: lang === 'en' ? 'View' : '查看' })
        .first()
        .click();
      await page.getByTestId('audit-entries').waitFor();
      await check('audit log');
    }
    expect(problems).toEqual([]);
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  }, 30_000);
});

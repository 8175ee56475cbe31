import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { baseUrl, launch, realErrors, signIn } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('the web shell', () => {
  test('no page of the app breaks its content security policy (no inline scripts, no eval)', async () => {
    const paths = [
      '/',
      '/events',
      '/reports/new',
      '/phone',
      '/intake',
      '/inbox',
      '/stats',
      '/trace',
      '/notices',
      '/zero-reports',
      '/duty',
      '/duty/roster',
      '/duty/shift',
      '/duty/directory',
      '/duty/spot-checks',
      '/notifications',
      '/notifications/settings',
      '/responsibility',
      '/admin/units',
      '/admin/users',
      '/admin/rules',
      '/admin/rules/timeliness',
      '/admin/rules/departments',
      '/me/unit',
    ];
    for (const user of ['admin', 'dc_zby']) {
      const { ctx, page, errors } = await signIn(browser, user);
      for (const p of paths) {
        await page.goto(p);
        await page.locator('.app-header').waitFor();
        await page.waitForTimeout(250);
      }
      expect(errors.filter((e) => e.startsWith('CSP violation'))).toEqual([]);
      expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
      await ctx.close();
    }
  }, 300_000);

  test("a wrong password is refused with the server's message, in Chinese", async () => {
    const ctx = await browser.newContext({ baseURL: baseUrl() });
    const page = await ctx.newPage();
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await expect(page.locator('.login-product').textContent()).resolves.toBe('急报');
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill('wrong-password');
    await page.locator('button[type=submit]').click();
    const err = page.getByTestId('login-error');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/[\u4e00-\u9fa5]/);
    await ctx.close();
  });

  test('an administrator signs in, sees the shell, switches to English and back, and signs out', async () => {
    const { ctx, page, errors } = await signIn(browser, 'admin');
    await expect(page.locator('.brand-name').textContent()).resolves.toBe('急报');
    const menu = page.locator('.app-menu');
    for (const label of [
      '工作台',
      '紧急信息',
      '新建报告',
      '事件列表',
      '时效与考核',
      '值班值守',
      '系统管理',
      '单位管理',
      '用户管理',
    ])
      await menu.getByText(label, { exact: true }).first().waitFor();
    await expect(page.locator('.user-name').textContent()).resolves.toBe('系统管理员');
    await page.locator('.sider-roles').getByText('管理员').waitFor();

    await page.locator('.lang-switch').getByText('EN').click();
    await menu.getByText('Dashboard', { exact: true }).waitFor();
    await menu.getByText('Administration', { exact: true }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('jibao.lang'))).toBe('en');
    await page.reload();
    await menu.getByText('Units', { exact: true }).waitFor();
    // no raw i18n keys anywhere on the page
    expect(await page.locator('body').textContent()).not.toMatch(
      /\b(nav|common|unit|report|dashboard)\.[a-zA-Z]+\b/,
    );

    await page.locator('.lang-switch').getByText('中文').click();
    await menu.getByText('单位管理', { exact: true }).waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await page.waitForURL(/\/login/);
    await page.goto('/events');
    await page.waitForURL(/\/login/);
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });

  test('an administrator creates a unit under a county and finds it in the tree', async () => {
    const { ctx, page, errors } = await signIn(browser, 'admin');
    await page.goto('/admin/units');
    await page.locator('.unit-tree').getByText('东城区', { exact: true }).click();
    await expect(page.getByTestId('unit-detail-title').textContent()).resolves.toContain('东城区');
    await page.getByRole('button', { name: /新建下级/ }).click();
    // the visible dialog only (a closed one may stay in the page), and the kind checked as chosen before saving
    const dialog = page.locator('.ant-modal-wrap:visible .ant-modal');
    await dialog.locator('#name').fill('东城区市场监督管理局');
    const kindPicked = dialog.locator('.ant-form-item:has(#kind) .ant-select-content[title="部门"]');
    for (let i = 0; i < 3 && !(await kindPicked.isVisible()); i++) {
      await dialog.locator('#kind').click();
      await page.locator('.ant-select-dropdown:visible').getByText('部门', { exact: true }).click();
      await kindPicked.waitFor({ timeout: 2000 }).catch(() => undefined);
    }
    await kindPicked.waitFor();
    await dialog.locator('#dutyPhone').fill('0992-8100123');
    const created = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/units',
    );
    const formError = dialog.locator('.ant-form-item-explain-error').first();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    // either the server answered, or the form refused to send: say which, with the form's own words
    const first = await Promise.race([
      created.then((r) => ({ status: r.status() })),
      formError.waitFor().then(async () => ({ formError: await formError.textContent() })),
    ]);
    expect(first).toEqual({ status: 201 });
    const outcome = page
      .locator('.ant-message-notice')
      .filter({ hasText: /已创建单位“东城区市场监督管理局”|.+/ })
      .first();
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('已创建单位“东城区市场监督管理局”');
    await expect(page.getByTestId('unit-detail-title').textContent()).resolves.toContain(
      '东城区市场监督管理局',
    );
    await page.locator('.unit-tree').getByText('东城区市场监督管理局').waitFor();
    await page.getByText('0992-8100123').waitFor();
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });
});

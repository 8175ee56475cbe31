import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, reportFromTownship } from './api.js';
import { baseUrl, launch, PASSWORD, realErrors, watchCsp } from './helpers.js';
import { menuRoutes, sidewaysScroll, visit } from './sweep.js';

let browser: Browser;
/** An event reported by the township and sent to the county, so event pages have a real record to show. */
let eventId: string;
beforeAll(async () => {
  browser = await launch();
  const township = await apiAs(baseUrl(), 'cgz_xxy');
  ({ eventId } = await reportFromTownship(township, {
    title: `城关街道建设路居民楼火灾（手机 E2E ${Date.now().toString(36)}）`,
    minutesAgo: 20,
  }));
});
afterAll(async () => {
  await browser?.close();
});

/** Signed in on a phone-sized screen (390 × 844, an iPhone 12–15). */
async function onPhone(username: string) {
  const ctx = await browser.newContext({
    baseURL: baseUrl(),
    viewport: { width: 390, height: 844 },
    timezoneId: 'Asia/Shanghai',
    locale: 'zh-CN',
    hasTouch: true,
  });
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

async function noSideways(page: Page, where: string) {
  expect(await sidewaysScroll(page), where).toBeNull();
}

describe('on a phone-sized screen (390 px)', () => {
  test('the menu is a drawer opened from the header, and it closes after choosing a page', async () => {
    const { ctx, page, errors } = await onPhone('dc_zby');
    expect(await page.locator('.app-sider').count()).toBe(0);
    await page.getByTestId('menu-toggle').click();
    const drawer = page.locator('.app-drawer');
    await drawer.getByText('事件列表', { exact: true }).click();
    await page.waitForURL(/\/events$/);
    await drawer.locator('.app-menu').waitFor({ state: 'hidden' });
    await noSideways(page, '/events with the drawer closed');
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });

  test.each([
    'admin',
    'dc_zby',
    'cgz_xxy',
    'dc_ld',
  ])('no page of %s’s menu scrolls sideways, and none logs an error', async (user) => {
    const { ctx, page, errors } = await onPhone(user);
    const routes = [...(await menuRoutes(page)), `/events/${eventId}`, `/events/${eventId}/trace`];
    expect(routes.length).toBeGreaterThan(8);
    for (const r of routes) {
      await visit(page, r);
      await noSideways(page, `${user} ${r}`);
    }
    // the menu drawer itself, open
    await page.getByTestId('menu-toggle').click();
    await page.locator('.app-drawer .app-menu').waitFor();
    await noSideways(page, `${user} menu drawer`);
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  }, 240_000);

  test('wide tables are shown as one card per row, with the column names as labels', async () => {
    const { ctx, page, errors } = await onPhone('admin');
    await visit(page, '/admin/users');
    expect(await page.locator('.ant-table').count()).toBe(0);
    const card = page.locator('.rtable-card', { has: page.locator('.rtable-head', { hasText: /^李晓梅$/ }) });
    await card.waitFor();
    expect(await card.locator('.rtable-label').allInnerTexts()).toEqual(
      expect.arrayContaining(['用户名', '所属单位', '角色', '手机']),
    );
    await card.getByText('城关街道党政办', { exact: true }).waitFor();
    const box = await card.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });

  test('dialogs and drawers opened on a phone fit the screen', async () => {
    const { ctx, page, errors } = await onPhone('admin');
    // only the dialog on screen (a page may keep closed dialogs in the document)
    const openDialog = () => page.locator('.ant-modal-wrap:visible .ant-modal');
    const close = async () => {
      await openDialog().locator('.ant-modal-close').click();
      await page
        .locator('.ant-modal-wrap:visible')
        .waitFor({ state: 'detached' })
        .catch(() => {});
      await expect.poll(() => page.locator('.ant-modal-wrap:visible').count()).toBe(0);
    };
    // a user's edit dialog
    await visit(page, '/admin/users');
    await page
      .locator('.rtable-card', { has: page.locator('.rtable-head', { hasText: /^李晓梅$/ }) })
      .getByRole('button', { name: '编辑' })
      .click();
    await openDialog().waitFor();
    await noSideways(page, 'user edit dialog');
    const modal = await openDialog().boundingBox();
    expect(modal!.x).toBeGreaterThanOrEqual(0);
    expect(modal!.x + modal!.width).toBeLessThanOrEqual(390);
    await close();
    // the new-user dialog
    await page.getByRole('button', { name: '新建用户' }).click();
    await openDialog().waitFor();
    await noSideways(page, 'new user dialog');
    await close();
    // creating a unit in the unit tree
    await visit(page, '/admin/units');
    await page.locator('.unit-tree').getByText('东城区', { exact: true }).click();
    await page.getByRole('button', { name: /新建下级/ }).click();
    await openDialog().waitFor();
    await noSideways(page, 'new unit dialog');
    await close();
    // the event page's record-call dialog, as the county duty officer
    const duty = await onPhone('dc_zby');
    await visit(duty.page, `/events/${eventId}`);
    await noSideways(duty.page, 'event page');
    await duty.page.getByTestId('record-call').click();
    await duty.page.getByTestId('record-call-form').waitFor();
    await noSideways(duty.page, 'record-call dialog');
    expect(realErrors(duty.errors)).toEqual([]);
    await duty.ctx.close();
    // the notifications page and the user menu
    await visit(page, '/notifications');
    await page.getByTestId('user-menu').click();
    await page.locator('.ant-dropdown').getByText('退出登录').waitFor();
    await noSideways(page, 'user menu open');
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  }, 120_000);

  test('the duty officer registers a phone report on a phone-sized screen without sideways scroll', async () => {
    const { ctx, page, errors } = await onPhone('dc_zby');
    await visit(page, '/phone');
    await noSideways(page, '/phone');
    await page.locator('#callerUnitId').click();
    await page.locator('.ant-select-dropdown:visible').waitFor();
    await noSideways(page, '/phone with the unit list open');
    await page.keyboard.press('Escape');
    await page.locator('#category').click();
    await page.locator('.ant-cascader-menu-item').first().waitFor();
    await noSideways(page, '/phone with the category list open');
    await page.keyboard.press('Escape');
    await visit(page, '/reports/new');
    await page.getByTestId('report-submit').click();
    await page.locator('.ant-form-item-explain-error').first().waitFor();
    await noSideways(page, '/reports/new with its errors shown');
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });
});

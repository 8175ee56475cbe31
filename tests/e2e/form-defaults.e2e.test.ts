import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fillTimeAgo, launch, realErrors, signIn } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('no risky defaults in the report forms', () => {
  test('a new report starts with no time of occurrence and no level, and refuses to go without them', async () => {
    const { ctx, page, errors } = await signIn(browser, 'cgz_xxy');
    await page.evaluate(() => localStorage.removeItem('jibao.newReport.draft'));
    await page.goto('/reports/new');
    const form = page.getByTestId('report-form');
    await form.waitFor();
    expect(await form.locator('#occurredAt').inputValue()).toBe('');
    expect(await form.locator('.level-picker .ant-radio-button-wrapper-checked').count()).toBe(0);
    // the must-report panel says nothing yet (no "no rule fired" before anything is known)
    const hint = page.getByTestId('must-report-hint');
    expect(await hint.getAttribute('data-state')).toBe('waiting');
    expect(await hint.innerText()).not.toContain('暂未触发');

    await page.getByTestId('report-submit').click();
    await form.getByText('请填写事发时间').waitFor();
    await form.getByText('请选择事件级别；尚不能判断的，选“未分级”').waitFor();
    expect(page.url()).toMatch(/\/reports\/new$/);

    // 未分级 is an explicit choice; with a category the panel now judges
    await form.locator('#category').click();
    await page.locator('.ant-cascader-menu-item').filter({ hasText: '事故灾难' }).click();
    await page
      .locator('.ant-cascader-menu-item')
      .filter({ hasText: /^火灾事故$/ })
      .click();
    await page.locator('label:has([data-testid=level-none])').click();
    await form.getByText('请选择事件级别；尚不能判断的，选“未分级”').waitFor({ state: 'detached' });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=must-report-hint]')?.getAttribute('data-state') !== 'waiting',
    );
    await fillTimeAgo(page, '#occurredAt', 10);
    await form.getByText('请填写事发时间').waitFor({ state: 'detached' });
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });

  test('the phone report starts with no time of occurrence and no level', async () => {
    const { ctx, page, errors } = await signIn(browser, 'dc_zby');
    await page.goto('/phone');
    const form = page.getByTestId('phone-form');
    await form.waitFor();
    expect(await form.locator('#occurredAt').inputValue()).toBe('');
    expect(await form.locator('#calledAt').inputValue()).not.toBe(''); // the call is now: that is known
    expect(await form.locator('.level-picker .ant-radio-button-wrapper-checked').count()).toBe(0);
    await page.getByTestId('phone-submit').click();
    await form.getByText('请填写事发时间').waitFor();
    await form.getByText('请选择事件级别；尚不能判断的，选“未分级”').waitFor();
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });
});

describe('pickers', () => {
  test('the category picker closes after a choice and finds a category by typing', async () => {
    const { ctx, page, errors } = await signIn(browser, 'cgz_xxy');
    await page.goto('/reports/new');
    const form = page.getByTestId('report-form');
    const menus = page.locator('.ant-cascader-dropdown:visible');
    // clicking through: the class opens its types; the type is the choice and closes the list
    await form.locator('#category').click();
    await page.locator('.ant-cascader-menu-item').filter({ hasText: '事故灾难' }).click();
    expect(await menus.count()).toBe(1);
    await page
      .locator('.ant-cascader-menu-item')
      .filter({ hasText: /^火灾事故$/ })
      .click();
    await menus.waitFor({ state: 'hidden' });
    expect(await form.locator('.ant-form-item', { hasText: '事件类别' }).innerText()).toContain('火灾事故');
    // typing: a search result is a choice too
    await form.locator('#category').click();
    await form.locator('#category').fill('住宅');
    const hit = page.locator('.ant-cascader-menu-item', { hasText: '住宅' }).first();
    await hit.waitFor();
    await hit.click();
    await menus.waitFor({ state: 'hidden' });
    expect(await form.locator('.ant-form-item', { hasText: '事件类别' }).innerText()).toContain('住宅');
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });

  test('the caller-unit picker lists townships before departments and says that typing searches', async () => {
    const { ctx, page, errors } = await signIn(browser, 'dc_zby');
    await page.goto('/phone');
    const field = page.locator('.ant-form-item', { has: page.locator('#callerUnitId') });
    expect(await field.innerText()).toContain('输入单位名称搜索');
    await page.locator('#callerUnitId').click();
    const list = page.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper');
    await list.first().waitFor();
    const names = (await list.allInnerTexts()).map((s) => s.trim());
    // the list opens on the townships; the county's departments come after them
    expect(['城关街道', '东湖街道']).toContain(names[0]);
    const firstDepartment = names.findIndex((n) => /局|分局|部/.test(n));
    const lastTownship = Math.max(...['城关街道', '东湖街道'].map((n) => names.indexOf(n)));
    if (firstDepartment >= 0) expect(lastTownship).toBeLessThan(firstDepartment);
    // typing searches
    await page.locator('#callerUnitId').fill('东湖');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', {
        hasText: '东湖街道党政办',
      })
      .waitFor();
    expect(await list.count()).toBeLessThan(names.length);
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });
});

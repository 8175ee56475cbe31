import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch, realErrors, signIn } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Beijing calendar date `days` from today (YYYY-MM-DD). */
function beijingDate(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

async function pickOption(p: Page, fieldId: string, name: string) {
  await p.locator(`#${fieldId}`).click();
  await p.locator(`#${fieldId}`).fill(name);
  await p.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${name}"]`).click();
}

describe('supervised tasks (督查督办)', () => {
  test('a collection task from a meeting to two townships: one files, the other shows as not filed and overdue', async () => {
    const title = `各街道将会议传达贯彻情况书面报区委办（E2E ${Date.now().toString(36)}）`;
    const leader = await signIn(browser, 'dc_ld');
    const l = leader.page;
    await l.locator('.ant-menu').getByText('督查督办').click();
    await l.waitForURL(/\/tasks$/);
    await l.getByTestId('task-issue').click();
    await l.waitForURL(/\/tasks\/new$/);
    const form = l.getByTestId('task-issue-form');
    await form.getByText('汇总催报（多个单位各报一份）').click();
    await form.locator('#title').fill(title);
    await pickOption(l, 'unitIds', '城关街道');
    await pickOption(l, 'unitIds', '东湖街道');
    await l.keyboard.press('Escape');
    // the meeting asked for it by yesterday: it is entered afterwards, so both are overdue until they file
    await form.locator('#due').click();
    await form.locator('#due').fill(beijingDate(-1));
    await l.locator(`.ant-picker-dropdown:visible td[title="${beijingDate(-1)}"]`).click();
    await l.getByTestId('task-issue-submit').click();
    await l.waitForURL(/\/tasks\/collections\/[0-9a-f-]{36}$/);
    const collectionUrl = new URL(l.url()).pathname;
    await l
      .getByTestId('task-not-filed')
      .getByText(/城关街道/)
      .waitFor();
    await expect(l.getByTestId('task-not-filed').textContent()).resolves.toContain('东湖街道');

    // 城关街道 files its answer from the board, on a phone
    const town = await signIn(browser, 'cgz_xxy');
    const tp = town.page;
    await tp.setViewportSize({ width: 390, height: 844 });
    await tp.goto('/tasks');
    const card = tp.getByTestId('tasks-table').locator('.rtable-card', { hasText: title });
    await card.getByText('已超期').waitFor();
    expect(await tp.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await card.getByText(title).click();
    await tp.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await tp.locator('#text').fill('已于11月24日召开街道党工委会议传达，各社区已部署落实。');
    await tp.getByTestId('task-done').click();
    await tp.getByTestId('task-progress-submit').click();
    await tp.locator('.ant-message').getByText('已办结').waitFor();
    await tp.getByTestId('task-progress').getByText('各社区已部署落实').waitFor();
    await tp.getByTestId('task-status-done').waitFor();
    expect(await tp.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // the issuer sees who has not filed: 东湖街道, overdue
    await l.goto(collectionUrl);
    const notFiled = l.getByTestId('task-not-filed');
    await expect.poll(() => notFiled.textContent()).toBe('未报单位：东湖街道');
    await l.getByTestId('task-collection-counts').getByText('已报 1，未报 1，超期 1').waitFor();
    const row = l.locator('.ant-table-row', { hasText: '东湖街道' });
    await row.getByText('已超期').waitFor();
    await row.getByText('未报').waitFor();
    await l.locator('.ant-table-row', { hasText: '城关街道' }).getByText('已办结').waitFor();

    // the collection view and the issue form fit a phone, in English too
    await l.setViewportSize({ width: 390, height: 844 });
    await l.reload();
    await l
      .getByTestId('task-collection')
      .locator('.rtable-card', { hasText: '东湖街道' })
      .getByText('已超期')
      .waitFor();
    expect(await l.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await l.evaluate(() => localStorage.setItem('jibao.lang', 'en'));
    await l.goto('/tasks/new');
    await l.getByTestId('task-issue-form').getByText('Collection (each unit files its own)').waitFor();
    expect(await l.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    expect(realErrors(leader.errors)).toEqual([]);
    expect(realErrors(town.errors)).toEqual([]);
    await leader.ctx.close();
    await town.ctx.close();
  }, 40_000);
});

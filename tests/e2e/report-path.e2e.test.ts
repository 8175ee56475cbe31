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

describe('the report path', () => {
  test('township reporter drafts → township leader approves → county intake shows it live → county editor signs', async () => {
    const title = `城关街道建设路居民楼火灾（E2E ${Date.now().toString(36)}）`;

    // The county editor has the intake queue open before anything happens.
    const county = await signIn(browser, 'dc_xxk');
    await county.page.goto('/intake');
    await county.page.getByTestId('intake-table').waitFor();
    await county.page.locator('.intake-live').getByText('实时接收中').waitFor();

    // 1. The township information officer fills in the form and submits it for approval.
    const reporter = await signIn(browser, 'cgz_xxy');
    const p = reporter.page;
    await p.goto('/reports/new');
    const form = p.getByTestId('report-form');
    await form.locator('#title').fill(title);
    await form.locator('#category').click();
    await p.locator('.ant-cascader-menu-item').filter({ hasText: '事故灾难' }).click();
    await p
      .locator('.ant-cascader-menu-item')
      .filter({ hasText: /^火灾事故$/ })
      .click();
    await p.keyboard.press('Escape');
    await p.locator('label:has([data-testid=level-IV])').click();
    await fillTimeAgo(p, '#occurredAt', 25);
    await form.locator('#address').fill('城关街道和平社区建设路 18 号');
    await form.locator('#casualties_lightlyInjured').fill('2');
    await form.locator('[id="elements_loss"]').fill('直接经济损失正在统计');
    await form
      .locator('[id="elements_cause"]')
      .fill('14 时许，建设路 18 号居民楼三层一住户家中起火，原因正在调查。');
    await form.locator('[id="elements_scope"]').fill('过火面积约 60 平方米，疏散居民 40 余人。');
    await form.locator('[id="elements_measures"]').fill('消防救援站 3 车 15 人到场处置，明火已扑灭。');
    // next steps are not known yet: mark them 待核实 with a reason
    await p.getByTestId('pending-nextSteps').click();
    await form.locator('[id="pending_nextSteps_reason"]').fill('现场仍在清理，下一步安排待街道研究');
    const checklist = p.getByTestId('element-checklist');
    expect(await checklist.locator('[data-state=missing]').count()).toBe(0);
    expect(await checklist.locator('[data-state=pending]').count()).toBe(1);
    await expect(p.getByTestId('must-report-hint').textContent()).resolves.toContain('达到报送标准');
    expect(await p.getByTestId('fast-track').isChecked()).toBe(false);
    await p.getByTestId('report-submit').click();
    await p.waitForURL(/\/events\/[0-9a-f-]{36}$/);
    await p.getByTestId('event-title').getByText(title).waitFor();
    await p.getByTestId('event-reports').getByText('待审签', { exact: true }).waitFor();

    // 2. The township leader in charge approves it from the inbox.
    const leader = await signIn(browser, 'cgz_fgld');
    await leader.page.goto('/inbox');
    const row = leader.page.getByTestId('inbox-approve').locator('tr', { hasText: title });
    await row.waitFor();
    await row.getByRole('button', { name: /审\s*签/ }).click();
    await leader.page
      .locator('.ant-modal')
      .filter({ hasText: '审签报告' })
      .getByRole('button', { name: '同意报出' })
      .click();
    await leader.page.locator('.ant-message').getByText('审签完成，报告已报出').waitFor();

    // 3. It appears in the county intake without a reload, with the alert, unsigned.
    const c = county.page;
    await c.getByTestId('intake-alert').getByText(title).waitFor({ timeout: 15_000 });
    const arrived = c.getByTestId('intake-table').locator('tr', { hasText: title });
    await arrived.getByText('未签收').waitFor();
    expect(await arrived.getAttribute('class')).toContain('row-unsigned');

    // 4. The county editor signs for it.
    await arrived.getByRole('button', { name: /签\s*收/ }).click();
    await arrived.getByText('已签收').waitFor();
    await arrived.click();
    await c.waitForURL(/\/events\//);
    await c.getByTestId('event-timeline').getByText('签收', { exact: true }).waitFor();
    await c.getByTestId('event-deadlines').waitFor();

    for (const s of [county, reporter, leader]) {
      expect(realErrors(s.errors)).toEqual([]);
      await s.ctx.close();
    }
  });
});

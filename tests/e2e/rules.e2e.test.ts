import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch, realErrors, signIn } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('rule sets and responsible persons', () => {
  test('an administrator saves a new version of the must-report rules with a required note, and it shows in the history', async () => {
    const { ctx, page, errors } = await signIn(browser, 'admin');
    const before = await (await page.request.get('/api/rule-sets/must_report')).json();
    const keyword = `E2E纪念广场${Date.now().toString(36)}`;
    const note = `E2E：新增敏感地点 ${keyword}`;

    await page.goto('/admin/rules');
    await page.getByTestId('rules-version').getByText(`第${before.version}版`).waitFor();
    await page.getByText('已登记的事件保留登记（判定）时所用的规则版本').waitFor();

    const places = page.getByTestId('sensitive-places').locator('input');
    await places.fill(keyword);
    await places.press('Enter');
    await page.getByTestId('sensitive-places').getByText(keyword).waitFor();

    // no note: refused in the page, nothing saved
    await page.getByTestId('rules-save').click();
    await page.getByText('请填写修改说明').waitFor();

    await page.getByTestId('rules-note').fill(note);
    await page.getByTestId('rules-save').click();
    await page.getByTestId('rules-save-ok').click();
    await page
      .getByTestId('rules-version')
      .getByText(`第${before.version + 1}版`)
      .waitFor();

    const after = await (await page.request.get('/api/rule-sets/must_report')).json();
    expect(after.version).toBe(before.version + 1);
    expect(after.note).toBe(note);
    expect(after.body.sensitivePlaces).toContain(keyword);
    expect(after.body.rules).toEqual(before.body.rules);

    await page.getByTestId('rules-history').click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText(note).waitFor();
    await drawer.getByText('系统管理员').first().waitFor();
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });

  test('an incomplete time-limit row is refused with the reasons listed, and nothing is saved', async () => {
    const { ctx, page } = await signIn(browser, 'admin');
    const before = await (await page.request.get('/api/rule-sets/timeliness')).json();
    await page.goto('/admin/rules/timeliness');
    await page.getByTestId('written-0').waitFor();
    // two rows with the same (from, level): the page flags the overlap before the server sees it
    await page.getByText('添加一行').click();
    await page.getByTestId('rules-note').fill('E2E：重叠的行');
    await page.getByTestId('rules-save').click();
    await page.getByTestId('rules-issues').waitFor();
    expect(await page.getByTestId('rules-issues').textContent()).toMatch(/必填|重叠/);
    const after = await (await page.request.get('/api/rule-sets/timeliness')).json();
    expect(after.version).toBe(before.version);
    await ctx.close();
  });

  test('a county editor reads the rules but cannot save them', async () => {
    const { ctx, page, errors } = await signIn(browser, 'dc_xxk');
    await page.goto('/admin/rules/departments');
    await page.getByText('只有管理员可以修改规则').waitFor();
    expect(await page.getByTestId('rules-savebar').count()).toBe(0);
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });

  test('an administrator fills in a unit’s three responsible persons and confirms the list for 90 days', async () => {
    const { ctx, page, errors } = await signIn(browser, 'admin');
    await page.goto('/responsibility');
    const row = page.getByTestId('resp-defects').locator('tr', { hasText: '石桥乡' });
    await row.getByText('填报/确认').click();
    await page.getByTestId('resp-confirm-card').waitFor();
    expect(await page.getByTestId('resp-confirm').isDisabled()).toBe(true);

    await page.getByTestId('resp-name-principal').fill('周书记');
    await page.getByTestId('resp-name-leader_in_charge').fill('吴副乡长');
    await page.getByTestId('resp-name-office_director').fill('郑主任');
    await page.getByTestId('resp-save').click();
    await page.getByText('名单已保存').waitFor();

    await page.getByTestId('resp-confirm').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.getByText(/名单已确认，有效至/).waitFor();
    await page.getByTestId('resp-confirm-card').getByText('已确认').waitFor();
    await page
      .getByTestId('resp-confirm-card')
      .getByText(/还剩 90 天/)
      .waitFor();

    const unitId = page.url().split('/').pop();
    const list = await (await page.request.get(`/api/units/${unitId}/responsible-persons`)).json();
    expect(list.status).toBe('confirmed');
    expect(list.persons.map((p: { name: string }) => p.name)).toEqual(['周书记', '吴副乡长', '郑主任']);
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });
});

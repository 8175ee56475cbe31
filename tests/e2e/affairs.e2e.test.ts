import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs } from './api.js';
import { baseUrl, launch, realErrors, signIn } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('government-affairs information (政务信息)', () => {
  test('a township writes a piece for a commission on a phone → approved → the county section adopts it → the score shows +3', async () => {
    const tag = Date.now().toString(36);
    const editorApi = await apiAs(baseUrl(), 'dc_xxk');
    const units = await editorApi.get<{ items: Array<{ id: string; name: string }> }>('/api/units');
    const cg = units.items.find((u) => u.name === '城关街道')!.id;
    const commission = await editorApi.post('/api/affairs/commissions', {
      toUnitId: cg,
      title: `老旧小区改造经验（E2E ${tag}）`,
      dueAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    });
    const before = (await editorApi.get('/api/affairs/scores?by=unit')).items.find(
      (i: any) => i.unitId === cg,
    ).points;

    // the township's information officer writes it from the commission list, on a phone
    const town = await signIn(browser, 'cgz_xxy');
    const tp = town.page;
    await tp.setViewportSize({ width: 390, height: 844 });
    await tp.goto('/affairs/commissions');
    const card = tp.getByTestId('commissions-table').locator('.rtable-card', { hasText: commission.title });
    await card.getByTestId('commission-write').click();
    await tp.waitForURL(/\/affairs\/pieces\/new\?commissionId=/);
    const title = `城关街道老旧小区改造见成效（E2E ${tag}）`;
    await tp.locator('#title').fill(title);
    const body = tp.getByTestId('piece-body');
    await body.click();
    await tp.keyboard.type('今年以来，街道摸底排查老旧小区 12 个。');
    expect(await tp.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await tp.getByTestId('piece-save-submit').click();
    await tp.waitForURL(/\/affairs\/pieces\/[0-9a-f-]{36}$/);
    const pieceUrl = new URL(tp.url()).pathname;
    await tp.getByTestId('piece-status-awaiting_approval').waitFor();

    // the leader in charge approves: it is sent to the county's two general offices
    const lead = await signIn(browser, 'cgz_fgld');
    await lead.page.goto(pieceUrl);
    await lead.page.getByTestId('piece-approve').click();
    await lead.page.getByTestId('piece-status-sent').waitFor();

    // the county information section finds it in its inbox and adopts it for its daily
    const ed = await signIn(browser, 'dc_xxk');
    const ep = ed.page;
    // the menu's groups start open: 信息报送 is one click away
    await ep.locator('.ant-menu').getByText('信息报送').click();
    await ep.waitForURL(/\/affairs\/pieces$/);
    await ep.getByTestId('pieces-table').getByText(title).click();
    await ep.waitForURL(pieceUrl);
    await ep.getByTestId('piece-body-view').getByText('摸底排查老旧小区').waitFor();
    await ep.getByTestId('piece-adopt').click();
    await ep.getByTestId('piece-adoptions').locator('.ant-list-item', { hasText: '本级日刊采用' }).waitFor();
    await expect.poll(() => ep.getByTestId('piece-points').textContent()).toBe('3');

    // the commission counts as delivered, and the score table shows the township's points
    await ep.goto('/affairs/commissions');
    await ep
      .getByTestId('commissions-table')
      .locator('.ant-table-row', { hasText: commission.title })
      .getByTestId('commission-status-delivered')
      .waitFor();
    await ep.goto('/affairs/scores');
    await expect.poll(() => ep.getByTestId(`score-${cg}`).textContent()).toBe(String(before + 3));

    // the section's other screens fit a phone, in Chinese and in English
    await ep.setViewportSize({ width: 390, height: 844 });
    for (const [path, heading] of [
      ['/affairs/topics', '调研题目'],
      ['/affairs/publications', '刊物'],
      ['/affairs/scores', '信息积分'],
    ]) {
      await ep.goto(path);
      await ep.locator('.page-title', { hasText: heading }).waitFor();
      expect(await ep.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    await ep.evaluate(() => localStorage.setItem('jibao.lang', 'en'));
    await ep.goto(pieceUrl);
    await ep.getByTestId('piece-adoptions').locator('.ant-list-item', { hasText: 'Own daily' }).waitFor();
    expect(await ep.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    expect(realErrors(town.errors)).toEqual([]);
    expect(realErrors(lead.errors)).toEqual([]);
    expect(realErrors(ed.errors)).toEqual([]);
    await town.ctx.close();
    await lead.ctx.close();
    await ed.ctx.close();
  }, 40_000);
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SAMPLES } from '../helpers/files.js';
import { baseUrl, launch, realErrors, type Session, signIn, watchCsp } from './helpers.js';
import {
  ALWAYS_ALLOWED,
  headerlessColumns,
  interfaceTexts,
  otherLanguage,
  sidewaysScroll,
  visit,
} from './sweep.js';

// 大检查 in the browser: a campaign is created, a visit records a major hazard with a photo, the township
// reports its rectification, the county sends it back, it is reported again and verified closed; and the public
// tip-off page sends a tip-off and shows its receipt, without signing in.
let browser: Browser;
let county: Session;
let township: Session;

beforeAll(async () => {
  browser = await launch();
  county = await signIn(browser, 'dc_xxk');
  township = await signIn(browser, 'cgz_xxy');
});
afterAll(async () => {
  await county?.ctx.close();
  await township?.ctx.close();
  await browser?.close();
});

/** Pick a unit by name in an open TreeSelect (search, then click the node). */
async function pickTreeUnit(page: Page, trigger: string, name: string) {
  await page.locator(trigger).click();
  await page.keyboard.type(name);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: name })
    .first()
    .click();
  // the tree closes after the pick; wait until it is gone before touching the next field
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
}

const stamp = Date.now().toString(36);
let hazardPath = '';
let campaignPath = '';

describe('inspections', () => {
  test('campaign → visit with a major hazard → reported, sent back, reported again, verified closed', async () => {
    const p = county.page;
    await p.goto('/inspections/campaigns');
    await p.getByTestId('campaign-title').fill(`安全生产大检查（E2E ${stamp}）`);
    await p.locator('[data-testid="sector-0"] input, input[data-testid="sector-0"]').first().fill('道路交通');
    await p.keyboard.press('Escape');
    await pickTreeUnit(p, '#lead-0', '东城区公安分局');
    await p.locator('[data-testid="campaign-units"]').click();
    await p.keyboard.type('城关街道');
    await p
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '城关街道' })
      .first()
      .click();
    await p.keyboard.press('Escape');
    await p.getByTestId('campaign-submit').click();
    await p.waitForURL(/\/inspections\/campaigns\/[0-9a-f-]{36}$/);
    campaignPath = new URL(p.url()).pathname;
    await expect.poll(() => p.getByTestId('campaign-name').textContent()).toContain(stamp);
    // 行动方案报送: the participating township has not filed yet; the county opens the collection from the card
    const plans = p.getByTestId('campaign-plans');
    await expect.poll(() => plans.textContent()).toContain('城关街道');
    expect(await plans.textContent()).toContain('未报送');
    expect(await plans.locator('a[href^="/tasks/collections/"]').count()).toBe(1);

    // a visit with findings goes on to the hazard form, place and sector filled in
    await p.getByTestId('visit-place').fill(`人民路口（${stamp}）`);
    await p.locator('[data-testid="visit-sector"]').click();
    await p
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '道路交通' })
      .first()
      .click();
    await p.getByTestId('visit-findings').fill('信号灯损坏');
    await p.getByTestId('visit-submit').click();
    const drawer = p.locator('.ant-drawer-section');
    await drawer.waitFor();
    await drawer.getByText('重大隐患').click();
    await drawer.locator('textarea').fill('信号灯损坏，夜间无照明');
    await pickTreeUnit(p, '#responsibleUnitId', '城关街道');
    await drawer
      .getByTestId('hazard-photo')
      .setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: SAMPLES.png });
    await drawer.getByTestId('hazard-submit').click();
    await p.waitForURL(/\/inspections\/hazards\/[0-9a-f-]{36}$/);
    hazardPath = new URL(p.url()).pathname;
    await expect.poll(() => p.locator('.page-header').textContent()).toContain('待整改');
    // a major hazard is supervised: its 督办 task is issued at once and linked from the hazard
    await expect.poll(() => p.getByTestId('hazard-task').count()).toBe(1);
    expect(await p.locator('.ant-image img').count()).toBe(1);
    // the recording county verifies, it does not rectify
    expect(await p.getByTestId('rectify-submit').count()).toBe(0);

    // the township reports its rectification
    const tp = township.page;
    // the township finds the 督办 task on its board, and from it the hazard
    await tp.goto('/tasks');
    await tp.getByText(`人民路口（${stamp}）`, { exact: false }).first().click();
    await tp.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await tp.getByTestId('task-source-link').click();
    await tp.waitForURL(new RegExp(`${hazardPath}$`));
    await tp.getByTestId('rectify-text').fill('已更换信号灯');
    await tp.getByTestId('rectify-submit').click();
    await expect.poll(() => tp.locator('.page-header').textContent()).toContain('待验收');
    expect(await tp.getByTestId('verify-accept').count()).toBe(0);

    // the county sends it back with a note
    await p.reload();
    await p.getByTestId('verify-sendback-open').click();
    await p.getByTestId('verify-note').fill('路灯仍未通电');
    await p.getByTestId('verify-sendback').click();
    await expect.poll(() => p.locator('.page-header').textContent()).toContain('待整改');

    // reported again, then verified closed
    await tp.reload();
    await tp.getByTestId('rectify-text').fill('路灯已通电');
    await tp.getByTestId('rectify-submit').click();
    await expect.poll(() => tp.locator('.page-header').textContent()).toContain('待验收');
    await p.reload();
    await p.getByTestId('verify-accept').click();
    await expect.poll(() => p.locator('.page-header').textContent()).toContain('已销号');
    // verified closed: the 督办 task is done with it
    await expect.poll(() => p.locator('.ant-descriptions').first().textContent()).toContain('已办结');

    // the register lists it closed
    await p.goto('/inspections/hazards?status=closed');
    await expect
      .poll(() => p.locator('.ant-table-tbody, .rtable-cards').first().textContent())
      .toContain(stamp);
    expect(realErrors(county.errors)).toEqual([]);
    expect(realErrors(township.errors)).toEqual([]);
  });

  test('the public tip-off page works without signing in on a phone: it sends and shows a large receipt', async () => {
    const ctx = await browser.newContext({
      baseURL: baseUrl(),
      viewport: { width: 390, height: 844 },
      timezoneId: 'Asia/Shanghai',
      locale: 'zh-CN',
    });
    await watchCsp(ctx);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/tipoff');
    await page.getByTestId('tipoff-text').fill('<b>某化工厂</b>夜间偷排废水');
    await page.getByTestId('tipoff-send').click();
    const receipt = (await page.getByTestId('receipt').textContent())?.trim() ?? '';
    expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const size = await page
      .getByTestId('receipt')
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(24);
    expect(page.url()).toContain('/tipoff');
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(sideways).toBe(false);
    await page.getByTestId('lookup-input').fill(receipt.toLowerCase());
    await page.getByTestId('lookup-submit').click();
    await expect.poll(() => page.getByTestId('lookup-result').textContent()).toContain('已受理');
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });

  test('at 390 px, in English, the inspection pages speak one language and do not scroll sideways', async () => {
    // the township's session of the first test, switched to English and to a phone's width
    const { page, errors } = township;
    errors.length = 0;
    await page.evaluate(() => localStorage.setItem('jibao.lang', 'en'));
    await page.setViewportSize({ width: 390, height: 844 });
    // the language is read when the app loads: reload, or the in-app visits below stay in Chinese
    await page.reload();
    const units = (await (await fetch(`${baseUrl()}/api/public/tipoff-areas`)).json()).items.map(
      (a: any) => a.name,
    );
    const problems: string[] = [];
    for (const r of [
      '/inspections/hazards',
      '/inspections/campaigns',
      '/inspections/tipoffs',
      '/inspections/stats',
      hazardPath,
      campaignPath,
    ]) {
      await visit(page, r);
      const side = await sidewaysScroll(page);
      if (side) problems.push(`${r}: ${side}`);
      for (const t of otherLanguage(await interfaceTexts(page), 'en', [...ALWAYS_ALLOWED, ...units]))
        problems.push(`${r}: ${t}`);
      for (const c of await headerlessColumns(page)) problems.push(`${r}: column ${c}`);
    }
    expect(problems).toEqual([]);
    expect(realErrors(errors)).toEqual([]);
  });
});

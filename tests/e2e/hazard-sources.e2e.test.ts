import fs from 'node:fs';
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

// 重大危险源 on a phone (the demo's source: the township checks in with a camera photo), a tip-off with photos from
// the public page, and 安委办 set on the settings screen. Screenshots at 390 px go to $JIBAO_SHOTS (default
// /tmp/jibao-shots) for looking at them.
const SHOTS = process.env.JIBAO_SHOTS ?? '/tmp/jibao-shots';
let browser: Browser;
let township: Session;

const phone = async (page: Page) => page.setViewportSize({ width: 390, height: 844 });
const shot = async (page: Page, name: string) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

beforeAll(async () => {
  browser = await launch();
  township = await signIn(browser, 'cgz_xxy');
  await phone(township.page);
});
afterAll(async () => {
  await township?.ctx.close();
  await browser?.close();
});

describe('major hazard sources, tip-off photos, 安委办', () => {
  test('at 390 px the township opens the demo source and checks in with a photo', async () => {
    const p = township.page;
    await p.goto('/inspections/sources');
    await p.getByText('城关加气站 LNG 储罐区').first().click();
    await p.waitForURL(/\/inspections\/sources\/[0-9a-f-]{36}$/);
    await p.getByTestId('check-in').waitFor();
    expect(await p.locator('[data-testid="checks"] .ant-list-item').count()).toBe(2);
    await p.getByTestId('check-note').fill('储罐压力 0.6 MPa，正常');
    await p
      .getByTestId('check-photo')
      .setInputFiles({ name: '罐区.png', mimeType: 'image/png', buffer: SAMPLES.png });
    await p.getByTestId('check-in').click();
    await expect.poll(() => p.locator('[data-testid="checks"] .ant-list-item').count()).toBe(3);
    expect(await p.locator('[data-testid="checks"] .ant-list-item').first().textContent()).toContain(
      '0.6 MPa',
    );
    expect(await p.locator('[data-testid="checks"] .ant-image img').count()).toBe(1);
    expect(await sidewaysScroll(p)).toBeNull();
    await shot(p, 'hazard-source-390');
    await p.goto('/inspections/sources');
    await p.locator('.rtable-card, .ant-table-row').first().waitFor();
    expect(await sidewaysScroll(p)).toBeNull();
    await shot(p, 'hazard-sources-390');
    expect(realErrors(township.errors)).toEqual([]);
  });

  test('the county registers a source on screen; it watches, it does not check in', async () => {
    const county = await signIn(browser, 'dc_xxk');
    const p = county.page;
    await p.goto('/inspections/sources');
    await p.getByTestId('new-source').click();
    const name = `东湖储油库（E2E ${Date.now().toString(36)}）`;
    await p.getByTestId('source-name').fill(name);
    await p.locator('#source-unit').click();
    await p.keyboard.type('东湖街道');
    await p
      .locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: '东湖街道' })
      .first()
      .click();
    await expect.poll(() => p.locator('.ant-select-dropdown:visible').count()).toBe(0);
    await p.getByTestId('source-place').fill('东湖街道滨河路 1 号');
    await p.getByTestId('source-every').fill('60');
    await p.getByTestId('source-submit').click();
    await p.waitForURL(/\/inspections\/sources\/[0-9a-f-]{36}$/);
    await expect.poll(() => p.getByTestId('source-name').textContent()).toContain(name);
    expect(await p.getByTestId('check-in').count()).toBe(0);
    expect(await p.locator('.page-header').textContent()).toContain('正常');
    expect(realErrors(county.errors)).toEqual([]);
    await county.ctx.close();
  });

  test('a tipster adds a camera photo after sending; the county sees it in 举报受理', async () => {
    const ctx = await browser.newContext({
      baseURL: baseUrl(),
      viewport: { width: 390, height: 844 },
      timezoneId: 'Asia/Shanghai',
      locale: 'zh-CN',
    });
    await watchCsp(ctx);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto('/tipoff');
    const text = `<b>某厂房</b>消防通道被堵<img src=x onerror="document.title='PWNED'">（照片 ${Date.now().toString(36)}）`;
    // the area picked by division: 东城区, whose offices handle it
    await page.locator('#divisionCode').click();
    await page.keyboard.type('东城区');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '东城区' })
      .first()
      .click();
    await page.getByTestId('tipoff-text').fill(text);
    await page.getByTestId('tipoff-send').click();
    await page.getByTestId('receipt').waitFor();
    await page
      .getByTestId('tipoff-photo')
      .setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: SAMPLES.png });
    await expect.poll(() => page.getByTestId('tipoff-photo-count').textContent()).toContain('1');
    expect(await sidewaysScroll(page)).toBeNull();
    await shot(page, 'tipoff-photo-390');
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();

    const county = await signIn(browser, 'dc_xxk');
    await county.page.goto('/inspections/tipoffs');
    const row = county.page.locator('.ant-table-row, .rtable-card', { hasText: text }).first();
    await row.waitFor();
    await expect.poll(() => row.locator('.ant-image img').count()).toBe(1);
    // the tipster's markup is shown as the text it is, never rendered
    expect(await row.locator('b').count()).toBe(0);
    expect(await county.page.title()).not.toBe('PWNED');
    await county.ctx.close();
  });

  test('an administrator names 西山县’s 安委办 on the settings screen', async () => {
    const admin = await signIn(browser, 'admin');
    const p = admin.page;
    await phone(p);
    await p.goto('/admin/safety-offices');
    await p.getByTestId('set-西山县').click();
    await p.locator('#office-unit').click();
    await p.keyboard.type('西山县应急管理局');
    await p
      .locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', {
        hasText: '西山县应急管理局',
      })
      .first()
      .click();
    await p.getByTestId('office-save').click();
    await expect.poll(() => p.getByTestId('office-西山县').textContent()).toContain('西山县应急管理局');
    expect(await sidewaysScroll(p)).toBeNull();
    await shot(p, 'safety-offices-390');
    expect(realErrors(admin.errors)).toEqual([]);
    await admin.ctx.close();
  });

  test('in English at 390 px the new pages speak one language and do not scroll sideways', async () => {
    const { page, errors } = township;
    errors.length = 0;
    await page.evaluate(() => localStorage.setItem('jibao.lang', 'en'));
    await page.reload();
    const units = (await (await fetch(`${baseUrl()}/api/public/tipoff-areas`)).json()).items.map(
      (a: any) => a.name,
    );
    const problems: string[] = [];
    await visit(page, '/inspections/sources');
    const href = await page.locator('a[href^="/inspections/sources/"]').first().getAttribute('href');
    for (const r of ['/inspections/sources', href!]) {
      await visit(page, r);
      const side = await sidewaysScroll(page);
      if (side) problems.push(`${r}: ${side}`);
      for (const t of otherLanguage(await interfaceTexts(page), 'en', [...ALWAYS_ALLOWED, ...units]))
        problems.push(`${r}: ${t}`);
      for (const c of await headerlessColumns(page)) problems.push(`${r}: column ${c}`);
    }
    await shot(page, 'hazard-source-390-en');
    expect(problems).toEqual([]);
    expect(realErrors(errors)).toEqual([]);
  });
});

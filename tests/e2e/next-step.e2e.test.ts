import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, reportFromTownship } from './api.js';
import { baseUrl, launch, realErrors, signIn } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SHOTS = process.env.JIBAO_SHOTS;

describe('the next step is always on screen', () => {
  test('intake row and event page say what is due by when, with the button; overdue is red and in the tab title', async () => {
    const tag = Date.now().toString(36);
    const township = await apiAs(baseUrl(), 'cgz_xxy');
    const county = await apiAs(baseUrl(), 'dc_xxk');
    // an arrival three hours after the fire: the county's own deadlines upward are already overdue
    const late = `城关街道厂房起火（逾期 E2E ${tag}）`;
    const old = await reportFromTownship(township, { title: late, minutesAgo: 180, level: 'III' });
    await county.post(`/api/reports/${old.reportId}/sign`);
    const owed = await county.get('/api/obligations');
    const lateOwed = owed.items.filter((o: any) => o.eventId === old.eventId);
    expect(lateOwed.length).toBeGreaterThan(0);
    expect(lateOwed[0].overdue).toBe(true);
    expect(lateOwed[0].prominent).toBe(true);
    const overdueCount = owed.items.filter((o: any) => o.overdue).length;

    const s = await signIn(browser, 'dc_xxk');
    const p = s.page;
    // the tab title counts the overdue obligations, by the server's clock
    await p.waitForFunction(() => /^（\d+ 项逾期）急报/.test(document.title));
    const n = Number((await p.title()).match(/^（(\d+) 项逾期）/)![1]);
    expect(n).toBeGreaterThanOrEqual(overdueCount - 1);

    await p.goto('/intake');
    const row = p.getByTestId('intake-table').locator('tr, .rtable-card', { hasText: late });
    const line = row.getByTestId('obligation').first();
    await line.waitFor();
    const text = (await line.textContent()) ?? '';
    expect(text).toMatch(/须于 [\d:\- ]+ 前(电话报|报)|书面报告须于/);
    expect(text).toMatch(/已超时/);
    expect(await line.getAttribute('data-overdue')).toBe('true');
    const red = await line.locator('.obligation-text').evaluate((el) => getComputedStyle(el).color);
    expect(red).toBe('rgb(207, 19, 34)');
    // Ⅲ stands out: its level tag is on the line
    expect(text).toMatch(/Ⅲ/);
    const act = line.getByTestId('obligation-act');
    expect(await act.textContent()).toMatch(/记录去电|写报告|写续报/);
    if (SHOTS) await p.screenshot({ path: `${SHOTS}/next-intake-1440.png`, fullPage: false });

    // the button leads to the event page and does it there (a call to record, or a report to write)
    const verb = await act.textContent();
    await act.click();
    await p.waitForURL((u) => u.pathname === `/events/${old.eventId}`);
    const modal = p.locator('.ant-modal:visible');
    await modal.waitFor();
    if (/记录去电/.test(verb ?? '')) await modal.getByTestId('call-to').waitFor();
    if (SHOTS) await p.screenshot({ path: `${SHOTS}/next-act-1440.png`, fullPage: false });
    await p.keyboard.press('Escape');
    await modal.waitFor({ state: 'hidden' });

    // the event page lists every obligation on this event, each with its button, overdue in red
    const card = p.getByTestId('event-obligations');
    await card.waitFor();
    expect(await card.getByTestId('obligation').count()).toBe(lateOwed.length);
    expect(await card.textContent()).toMatch(/已超时/);
    expect(await card.getByTestId('obligation-act').count()).toBe(lateOwed.length);
    if (SHOTS) await p.screenshot({ path: `${SHOTS}/next-event-1440.png`, fullPage: false });

    // on a phone the lines wrap, no sideways scroll
    await p.setViewportSize({ width: 390, height: 844 });
    await p.waitForTimeout(300);
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    if (SHOTS) await p.screenshot({ path: `${SHOTS}/next-event-390.png`, fullPage: false });
    await p.goto('/intake');
    await row.getByTestId('obligation').first().waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    if (SHOTS) await p.screenshot({ path: `${SHOTS}/next-intake-390.png`, fullPage: false });

    expect(realErrors(s.errors)).toEqual([]);
    await s.ctx.close();
  }, 40_000);

  test('a fresh arrival shows the time left, and the English tab title counts overdue items too', async () => {
    const tag = Date.now().toString(36);
    const township = await apiAs(baseUrl(), 'cgz_xxy');
    const county = await apiAs(baseUrl(), 'dc_xxk');
    const title = `城关街道民房起火（剩余 E2E ${tag}）`;
    const fresh = await reportFromTownship(township, { title, minutesAgo: 3 });
    await county.post(`/api/reports/${fresh.reportId}/sign`);
    const owed = (await county.get('/api/obligations')).items.filter((o: any) => o.eventId === fresh.eventId);
    expect(owed.length).toBeGreaterThan(0);
    expect(owed[0].overdue).toBe(false);

    const s = await signIn(browser, 'dc_xxk');
    const p = s.page;
    await p.goto(`/events/${fresh.eventId}`);
    const line = p.getByTestId('event-obligations').getByTestId('obligation').first();
    await line.waitFor();
    expect(await line.textContent()).toMatch(/剩余 \d/);
    expect(await line.getAttribute('data-overdue')).toBe('false');
    await s.ctx.close();

    const en = await signIn(browser, 'dc_xxk', { lang: 'en' });
    await en.page.waitForFunction(() => /^\(\d+ overdue\) /.test(document.title));
    await en.page.goto(`/events/${fresh.eventId}`);
    const enLine = en.page.getByTestId('event-obligations').getByTestId('obligation').first();
    await enLine.waitFor();
    expect(await enLine.textContent()).toMatch(/left/);
    expect(realErrors(en.errors)).toEqual([]);
    await en.ctx.close();
  }, 40_000);
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiClient, apiAs, reportFromTownship } from './api.js';
import { baseUrl, launch, realErrors, signIn } from './helpers.js';

let browser: Browser;
let admin: ApiClient;
let county: { id: string; workingHours: unknown } | null = null;

beforeAll(async () => {
  browser = await launch();
  // Make the county's working hours empty for this file: every arrival is an off-hours arrival, whatever the clock.
  admin = await apiAs(baseUrl(), 'admin');
  const units = await admin.get('/api/units');
  const u = units.items.find((x: any) => x.name === '东城区' && x.kind === 'area');
  county = { id: u.id, workingHours: u.workingHours ?? null };
  await admin.patch(`/api/units/${u.id}`, { workingHours: { periods: [] } });
});
afterAll(async () => {
  if (county) await admin.patch(`/api/units/${county.id}`, { workingHours: county.workingHours });
  await browser?.close();
});

describe('the receiving desk, live', () => {
  test('an off-hours arrival appears on the duty officer’s intake, is acknowledged and signed, and the sender sees both live', async () => {
    const title = `东湖街道仓库火灾（E2E ${Date.now().toString(36)}）`;
    const township = await apiAs(baseUrl(), 'cgz_xxy');
    const { eventId, reportId } = await reportFromTownship(township, { title, minutesAgo: 5, send: false });

    const duty = await signIn(browser, 'dc_zby');
    await duty.page.goto('/intake');
    await duty.page.getByTestId('intake-table').waitFor();
    await duty.page.locator('.intake-live').getByText('实时接收中').waitFor();

    const sender = await signIn(browser, 'cgz_xxy');
    await sender.page.goto(`/events/${eventId}`);
    await sender.page.getByTestId('event-title').getByText(title).waitFor();

    // the report goes out while both pages are open
    await township.post(`/api/reports/${reportId}/submit`, { fastTrack: true });

    const d = duty.page;
    await d.getByTestId('intake-alert').getByText(title).waitFor({ timeout: 15_000 });
    const row = d.getByTestId('intake-table').locator('tr', { hasText: title });
    await row.getByText('非工作时间').waitFor();
    await row.getByText('未签收').waitFor();
    const delivery = sender.page.getByTestId('event-reports').locator('.ant-tag', { hasText: '→ 东城区' });
    await delivery.getByText(/未签收/).waitFor({ timeout: 15_000 });

    // 确认已通知: the duty officer confirms the responsible person was told
    await d.getByTestId(`ack-${reportId}`).click();
    await d.locator('.ant-message').getByText('已确认').first().waitFor();
    await row.getByText(/已确认/).waitFor();
    await delivery.getByText(/已确认通知/).waitFor({ timeout: 15_000 });

    // then signs for it; the sender's page turns to 签收 without a reload
    await d.getByTestId(`sign-${reportId}`).click();
    await row.getByText(/已签收/).waitFor();
    await delivery.getByText(/签收/).waitFor({ timeout: 15_000 });
    expect(await delivery.textContent()).toMatch(/\d{2}:\d{2} 签收/);
    await sender.page.getByTestId('event-timeline').getByText('确认已通知', { exact: true }).waitFor();

    for (const s of [duty, sender]) {
      expect(realErrors(s.errors)).toEqual([]);
      await s.ctx.close();
    }
  });

  test('an event already past its time limit shows red on the intake and on the event page', async () => {
    const title = `城关街道商铺火灾（超时 E2E ${Date.now().toString(36)}）`;
    const township = await apiAs(baseUrl(), 'cgz_xxy');
    // occurred 2 h 10 min ago, level Ⅳ: the 1-hour written limit and the county's limits have passed
    const { eventId } = await reportFromTownship(township, { title, minutesAgo: 130 });

    const editor = await signIn(browser, 'dc_xxk');
    const p = editor.page;
    await p.goto('/intake');
    const row = p.getByTestId('intake-table').locator('tr', { hasText: title });
    await row.waitFor();
    const overdue = row.locator('.ant-tag-red', { hasText: /项超时/ });
    await overdue.waitFor();
    expect(await overdue.evaluate((el) => getComputedStyle(el).color)).toMatch(
      /rgb\((2\d\d|1\d\d), \d{1,2}, \d{1,2}/,
    );

    await p.goto(`/events/${eventId}`);
    const deadlines = p.getByTestId('event-deadlines');
    await deadlines.locator('tr.deadline-row-late').first().waitFor();
    expect(await deadlines.locator('tr.deadline-row-late').count()).toBeGreaterThanOrEqual(2);
    const late = deadlines.locator('.deadline-late').first();
    await late.waitFor();
    const color = await late.evaluate((el) => getComputedStyle(el).color);
    const [r, g, b] = color.match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(100);
    expect(b).toBeLessThan(100);
    await p.screenshot({ path: '/tmp/jibao-e2e-overdue-event.png', fullPage: true });

    expect(realErrors(editor.errors)).toEqual([]);
    await editor.ctx.close();
  });
});

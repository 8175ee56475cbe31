import type { Browser, Page } from 'playwright-core';
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

/** Counts what the user did in the page: trusted clicks and key presses (typing), from now on. */
async function countUserInput(page: Page) {
  await page.evaluate(() => {
    const w = window as any;
    w.__user = { clicks: 0, keys: 0 };
    document.addEventListener('click', (e) => e.isTrusted && w.__user.clicks++, true);
    document.addEventListener('keydown', (e) => e.isTrusted && w.__user.keys++, true);
  });
  return () => page.evaluate(() => (window as any).__user as { clicks: number; keys: number });
}

describe('转报上级 from the intake', () => {
  test('the county editor reports a signed arrival upward in ≤ 3 clicks, typing nothing', async () => {
    const title = `城关街道仓库起火（转报 E2E ${Date.now().toString(36)}）`;
    const township = await apiAs(baseUrl(), 'cgz_xxy');
    const { eventId, reportId } = await reportFromTownship(township, { title, minutesAgo: 12 });
    const county = await apiAs(baseUrl(), 'dc_xxk');
    await county.post(`/api/reports/${reportId}/sign`);

    const s = await signIn(browser, 'dc_xxk');
    const p = s.page;
    await p.goto('/intake');
    const row = p.getByTestId('intake-table').locator('tr', { hasText: title });
    await row.getByText('已签收', { exact: false }).first().waitFor();
    const input = await countUserInput(p);

    // 1: 转报上级 on the signed arrival opens the county's report, filled in
    await row.getByTestId(`upward-${reportId}`).click();
    const modal = p.locator('.ant-modal').filter({ has: p.getByTestId('upward-form') });
    await modal.waitFor();
    await expect(modal.locator('[id="upward_elements_cause"]').inputValue()).resolves.toBe(
      '居民楼一住户家中起火，原因正在调查。',
    );
    const contact = await modal.locator('[id="upward_elements_contact"]').inputValue();
    expect(contact).toContain('刘芳');
    expect(contact).not.toContain('李晓梅');
    expect(await modal.getByTestId('upward-conflicts').count()).toBe(0);
    // 2: submitted for approval (Ⅳ: the normal path is pre-selected)
    await modal.getByTestId('upward-send').click();
    await p.locator('.ant-message').getByText('已提交审签').waitFor();

    const used = await input();
    console.info(`转报上级: ${used.clicks} clicks, ${used.keys} keys from the signed arrival to submitted`);
    expect(used.clicks).toBeLessThanOrEqual(3);
    expect(used.keys).toBe(0);

    // what was submitted: the township's nine elements, the county's contact, the source linked
    const ev = await county.get(`/api/events/${eventId}`);
    const src = ev.reports.find((r: any) => r.id === reportId);
    const mine = ev.reports.find((r: any) => r.unitId !== src.unitId && r.kind === 'initial');
    expect(mine).toMatchObject({ status: 'awaiting_approval', sourceReportIds: [reportId] });
    const { contact: _a, ...copied } = src.elements;
    const { contact: theirs, ...got } = mine.elements;
    expect(got).toEqual(copied);
    expect(theirs).toBe(contact);
    // the dashboard shows what the county still owes next, with the button that does it
    await p.goto('/');
    const next = p.getByTestId('next-step');
    await next.waitFor();
    expect(await next.textContent()).toMatch(/下一步.*(须于|前|补签|审签|签收|反馈|答复)/);
    // on a phone the card fits without sideways scroll
    await p.setViewportSize({ width: 390, height: 844 });
    await p.waitForTimeout(300);
    const fits = await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(fits).toBe(true);
    await next.getByTestId('next-step-go').click();
    await p.waitForURL((u) => u.pathname !== '/');
    expect(realErrors(s.errors)).toEqual([]);
    await s.ctx.close();
  }, 40_000);

  test('arrivals that disagree are merged on the event page: the editor chooses, fast track pre-selected for Ⅱ', async () => {
    const title = `城关街道化工仓库爆燃（合并 E2E ${Date.now().toString(36)}）`;
    const township = await apiAs(baseUrl(), 'cgz_xxy');
    const { eventId, reportId } = await reportFromTownship(township, { title, minutesAgo: 15, level: 'II' });
    const county = await apiAs(baseUrl(), 'dc_xxk');
    const police = await apiAs(baseUrl(), 'dc_ga_xxy');
    const units = (await county.get('/api/units')).items as Array<{ id: string; name: string }>;
    const policeId = units.find((u) => u.name === '东城区公安分局')!.id;
    await county.post(`/api/events/${eventId}/requests`, { toUnitId: policeId, message: '请报伤亡情况' });
    const src = (await county.get(`/api/events/${eventId}`)).reports.find((r: any) => r.id === reportId);
    const theirs = await police.post(`/api/events/${eventId}/reports`, {
      kind: 'initial',
      elements: {
        ...src.elements,
        casualties: { dead: 1, missing: 0, seriouslyInjured: 2, lightlyInjured: 1, trapped: 0 },
        contact: '东城区公安分局 何磊',
      },
      fastTrack: true,
    });
    await police.post(`/api/reports/${theirs.id}/submit`, { fastTrack: true });

    const s = await signIn(browser, 'dc_xxk');
    const p = s.page;
    await p.goto(`/events/${eventId}`);
    await p.getByTestId('event-upward').click();
    const modal = p.locator('.ant-modal').filter({ has: p.getByTestId('upward-form') });
    const conflict = modal.getByTestId('upward-conflict-casualties');
    await conflict.waitFor();
    // not sendable until the conflicting casualties are chosen; fast track pre-selected for a Ⅱ event
    expect(await modal.getByTestId('upward-send').isDisabled()).toBe(true);
    await expect(modal.getByTestId('upward-send').textContent()).resolves.toMatch(/立即报出/);
    await conflict.getByText('东城区公安分局', { exact: false }).click();
    await expect(modal.locator('#upward_casualties_dead').inputValue()).resolves.toBe('1');
    await modal.getByTestId('upward-send').click();
    await p.locator('.ant-message').getByText('已转报上级').waitFor();
    const ev = await county.get(`/api/events/${eventId}`);
    const mine = ev.reports.find((r: any) => r.status === 'sent' && r.sourceReportIds?.length === 2);
    expect(mine.elements.casualties).toMatchObject({ dead: 1, seriouslyInjured: 2, lightlyInjured: 1 });
    expect(realErrors(s.errors)).toEqual([]);

    // the trail names the township's person for the township, with the role they acted in, in both languages
    await p.goto(`/events/${eventId}/trace`);
    const arrival = p.getByTestId('trace-step').filter({ hasText: '到达接报口' }).first();
    await arrival.getByTestId('trace-to').getByText('东城区').waitFor();
    await expect(arrival.getByTestId('trace-who').textContent()).resolves.toMatch(/^城关街道 · 李晓梅信息员/);
    await s.ctx.close();
    const en = await signIn(browser, 'dc_xxk', { lang: 'en' });
    await en.page.goto(`/events/${eventId}/trace`);
    const who = en.page.getByTestId('trace-role').first();
    await who.waitFor();
    await expect(who.textContent()).resolves.toMatch(/^[A-Za-z ]+$/);
    await en.ctx.close();
  }, 40_000);
});

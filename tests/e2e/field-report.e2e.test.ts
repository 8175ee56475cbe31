import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs } from './api.js';
import { baseUrl, fillTimeAgo, launch, PASSWORD, realErrors, watchCsp } from './helpers.js';
import { sidewaysScroll } from './sweep.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SHOTS = process.env.JIBAO_SHOTS;

/** How many drafts the field report keeps on this device (its own IndexedDB database). */
const storedDrafts = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('jibao-field');
        open.onupgradeneeded = () => open.result.createObjectStore('drafts');
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('drafts')) return resolve(0);
          const req = db.transaction('drafts').objectStore('drafts').count();
          req.onsuccess = () => {
            resolve(req.result);
            db.close();
          };
        };
        open.onerror = () => resolve(-1);
      }),
  );

describe('现场报告 from the scene, offline', () => {
  test('kept on the device while offline (no service worker), sent once with its photo once when the network returns, cleared at sign-out', async () => {
    const title = `城关街道建设路现场：民房起火（现场 E2E ${Date.now().toString(36)}）`;
    // a phone at the scene on a plain-HTTP intranet: no service worker
    const ctx = await browser.newContext({
      baseURL: baseUrl(),
      viewport: { width: 390, height: 844 },
      timezoneId: 'Asia/Shanghai',
      locale: 'zh-CN',
      hasTouch: true,
      serviceWorkers: 'block',
      permissions: ['geolocation'],
      geolocation: { latitude: 39.91234, longitude: 116.40321 },
    });
    await watchCsp(ctx);
    const p = await ctx.newPage();
    const errors: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto('/login');
    await p.locator('#username').fill('cgz_xxy');
    await p.locator('#password').fill(PASSWORD);
    await p.locator('button[type=submit]').click();
    await p.waitForURL((u) => !u.pathname.startsWith('/login'));
    await p.goto('/field');
    const form = p.getByTestId('field-form');
    await form.waitFor();
    await p.locator('#field_category').waitFor();
    expect(await p.evaluate(() => navigator.serviceWorker?.controller ?? null)).toBeNull();
    // a photo as a phone camera gives it (a JPEG), made in the page
    const jpeg = Buffer.from(
      await p.evaluate(() => {
        const c = document.createElement('canvas');
        c.width = 640;
        c.height = 480;
        const g = c.getContext('2d')!;
        g.fillStyle = '#c33';
        g.fillRect(0, 0, 640, 480);
        g.fillStyle = '#fd4';
        g.fillRect(200, 120, 240, 240);
        return c.toDataURL('image/jpeg', 0.95).split(',')[1];
      }),
      'base64',
    );

    // the network goes: the form is filled at the scene
    await ctx.setOffline(true);
    await p.getByTestId('field-network').getByText('无网络', { exact: false }).waitFor();
    await p.locator('#field_title').fill(title);
    await p.locator('#field_category').click();
    await p.locator('.ant-cascader-menu-item').filter({ hasText: '事故灾难' }).click();
    await p
      .locator('.ant-cascader-menu-item')
      .filter({ hasText: /^火灾事故$/ })
      .click();
    await p.locator('label:has([data-testid=field-level-IV])').click();
    await fillTimeAgo(p, '#field_occurredAt', 25);
    await p.locator('#field_address').fill('城关街道建设路 21 号');
    await p.getByTestId('field-locate').click();
    await p.getByTestId('field-located').getByText('39.91234', { exact: false }).waitFor();
    await p.locator('#field_scope').fill('一户民房厨房起火，火势已得到控制。');
    await p
      .getByTestId('field-photo-input')
      .setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await p.getByTestId('field-photo').waitFor();
    await p.getByTestId('field-kept').waitFor();
    expect(await sidewaysScroll(p)).toBeNull();
    if (SHOTS) await p.screenshot({ path: `${SHOTS}/field-390.png`, fullPage: true });
    expect(await storedDrafts(p)).toBe(1);

    // reload: without a service worker the page comes from the server, which is still out of reach for the API
    await ctx.route('**/api/**', (r) => r.abort('internetdisconnected'));
    await ctx.setOffline(false);
    await p.reload();
    await form.waitFor();
    await p
      .locator('#field_title')
      .and(p.locator(`[value="${title}"]`))
      .waitFor();
    await p.getByTestId('field-photo').waitFor();
    expect(await p.locator('#field_scope').inputValue()).toBe('一户民房厨房起火，火势已得到控制。');
    // 报送 while the server is out of reach: queued on the device, nothing sent
    await p.getByTestId('field-send').click();
    const queued = p.getByTestId('field-queued').filter({ hasText: title });
    await queued.getByText('等待网络').waitFor();
    expect(await queued.textContent()).toMatch(/现场记录于 \d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(await queued.textContent()).toContain('1 张照片');
    if (SHOTS) await p.screenshot({ path: `${SHOTS}/field-queued-390.png`, fullPage: true });
    const township = await apiAs(baseUrl(), 'cgz_xxy');
    const mine = async () =>
      (
        (await township.get(`/api/events?limit=200&q=${encodeURIComponent(title.slice(0, 40))}`))
          .items as Array<{ id: string; title: string }>
      ).filter((e) => e.title === title);
    expect(await mine()).toHaveLength(0);

    // the network returns: sent once, step by step, with its photo once
    await ctx.unroute('**/api/**');
    await p.locator('.ant-message').getByText('现场报告已', { exact: false }).waitFor({ timeout: 20_000 });
    await queued.waitFor({ state: 'detached' });
    expect(await storedDrafts(p)).toBe(0);
    const events = await mine();
    expect(events).toHaveLength(1);
    const ev = await township.get(`/api/events/${events[0].id}`);
    expect(ev.place).toMatchObject({ lat: 39.91234, lng: 116.40321 });
    expect(ev.reports).toHaveLength(1);
    const rep = ev.reports[0];
    expect(rep.status).toBe('awaiting_approval');
    expect(rep.capturedAt).toBeTruthy();
    // the device's time is kept apart; the server's time is the report's own
    expect(new Date(rep.capturedAt).getTime()).toBeLessThanOrEqual(new Date(rep.createdAt).getTime());
    const att = await township.get(`/api/reports/${rep.id}/attachments`);
    expect(att.items).toHaveLength(1);
    expect(att.items[0].mime).toBe('image/jpeg');

    // the event page shows 现场记录于 on the report
    await p.goto(`/events/${events[0].id}`);
    await p.getByTestId(`captured-${rep.id}`).getByText('现场记录于', { exact: false }).waitFor();
    if (SHOTS) await p.screenshot({ path: `${SHOTS}/field-event-390.png`, fullPage: false });

    // a new draft is kept … and sign-out leaves nothing of it on the device
    await p.goto('/field');
    await p.locator('#field_title').fill('未报送的草稿');
    await p.getByTestId('field-kept').waitFor();
    expect(await storedDrafts(p)).toBe(1);
    await p.getByTestId('user-menu').click();
    await p.locator('.ant-dropdown').getByText('退出登录').click();
    await p.waitForURL(/\/login/);
    expect(await storedDrafts(p)).toBe(0);
    expect(realErrors(errors).filter((e) => !/ERR_INTERNET_DISCONNECTED|net::ERR_FAILED/.test(e))).toEqual(
      [],
    );
    await ctx.close();
  }, 45_000);

  test('a classified event is never kept on the device; on a wide screen the form reads well', async () => {
    const ctx = await browser.newContext({
      baseURL: baseUrl(),
      viewport: { width: 1440, height: 900 },
      timezoneId: 'Asia/Shanghai',
      locale: 'zh-CN',
      serviceWorkers: 'block',
    });
    const p = await ctx.newPage();
    await p.goto('/login');
    await p.locator('#username').fill('cgz_xxy');
    await p.locator('#password').fill(PASSWORD);
    await p.locator('button[type=submit]').click();
    await p.waitForURL((u) => !u.pathname.startsWith('/login'));
    await p.goto('/field');
    await p.getByTestId('field-form').waitFor();
    await p.locator('label.ant-radio-wrapper', { hasText: /^涉密$/ }).click();
    await p.locator('#field_title').fill('涉密现场情况');
    await p.getByText('涉密或内部事件不在本机保存', { exact: false }).waitFor();
    await p.waitForTimeout(300);
    expect(await storedDrafts(p)).toBe(0);
    await ctx.setOffline(true);
    await p.locator('#field_scope').fill('现场情况');
    await p.waitForTimeout(300);
    expect(await storedDrafts(p)).toBe(0);
    await ctx.setOffline(false);
    if (SHOTS) await p.screenshot({ path: `${SHOTS}/field-1440.png`, fullPage: false });
    // over HTTPS it installs as an app: the page links a manifest with icons, and the worker script is served;
    // on this plain-HTTP origin nothing registers one
    expect(await p.locator('link[rel=manifest]').getAttribute('href')).toBe('/manifest.webmanifest');
    const manifest = await (await p.request.get('/manifest.webmanifest')).json();
    expect(manifest).toMatchObject({ short_name: '急报', display: 'standalone', start_url: '/field' });
    expect(manifest.icons.some((i: any) => i.sizes === '512x512')).toBe(true);
    const sw = await p.request.get('/sw.js');
    expect(sw.headers()['content-type']).toMatch(/javascript/);
    expect(
      await p.evaluate(async () => (await navigator.serviceWorker?.getRegistrations())?.length ?? 0),
    ).toBe(0);
    await ctx.close();
  }, 30_000);
});

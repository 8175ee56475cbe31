import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SAMPLES } from '../helpers/files.js';
import { apiAs, reportFromTownship } from './api.js';
import { baseUrl, launch, PASSWORD, type Session, signIn } from './helpers.js';

// Issue #9, point 2: a township reporter's HTML "photo" ran as whoever opened it, in the app's origin.
let browser: Browser;
let session: Session;
const ids: Record<'pdf' | 'png' | 'html', string> = { pdf: '', png: '', html: '' };

/** Upload through the API as the township reporter (bearer token), with whatever type the client claims. */
async function upload(token: string, reportId: string, filename: string, type: string, data: Buffer) {
  const fd = new FormData();
  fd.append('file', new Blob([new Uint8Array(data)], { type }), filename);
  const res = await fetch(`${baseUrl()}/api/reports/${reportId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: fd,
  });
  if (res.status !== 201) throw new Error(`upload ${filename}: ${res.status} ${await res.text()}`);
  return (await res.json()).id as string;
}

beforeAll(async () => {
  browser = await launch();
  const api = await apiAs(baseUrl(), 'cgz_xxy');
  const { reportId } = await reportFromTownship(api, {
    title: `城关街道附件测试（E2E ${Date.now().toString(36)}）`,
    minutesAgo: 5,
    send: false,
  });
  const login = await fetch(`${baseUrl()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'cgz_xxy', password: PASSWORD }),
  });
  const { token } = await login.json();
  ids.pdf = await upload(token, reportId, '情况说明.pdf', 'application/pdf', SAMPLES.pdf);
  ids.png = await upload(token, reportId, '现场照片.png', 'image/png', SAMPLES.png);
  // the attack: a page with a script, uploaded as if it were a photo's HTML preview
  ids.html = await upload(token, reportId, '现场照片.html', 'text/html', SAMPLES.html);
  session = await signIn(browser, 'cgz_xxy');
});
afterAll(async () => {
  await session?.ctx.close();
  await browser?.close();
});

describe('opening attachments in the browser', () => {
  test('an uploaded PDF opens in the browser as a PDF', async () => {
    const p = session.page;
    const res = await p.goto(`/api/attachments/${ids.pdf}`);
    expect(res?.status()).toBe(200);
    const h = res!.headers();
    expect(h['content-type']).toBe('application/pdf');
    expect(h['content-disposition']).toMatch(/^inline;/);
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(p.url()).toContain(`/api/attachments/${ids.pdf}`);
  });

  test('an uploaded photo is displayed, sandboxed', async () => {
    const p = session.page;
    const res = await p.goto(`/api/attachments/${ids.png}`);
    expect(res?.status()).toBe(200);
    const h = res!.headers();
    expect(h['content-type']).toBe('image/png');
    expect(h['content-disposition']).toMatch(/^inline;/);
    expect(h['content-security-policy']).toBe('sandbox');
    expect(h['x-content-type-options']).toBe('nosniff');
    const width = await p.evaluate(
      () => (document.querySelector('img') as HTMLImageElement | null)?.naturalWidth,
    );
    expect(width).toBe(1);
  });

  test("an uploaded HTML page is downloaded and its script never runs in Jibao's origin", async () => {
    const p = session.page;
    await p.goto('/');
    await p.locator('.app-header').waitFor();
    const [download] = await Promise.all([
      p.waitForEvent('download', { timeout: 15_000 }),
      p.goto(`/api/attachments/${ids.html}`).catch(() => null), // a download aborts the navigation
    ]);
    expect(download.suggestedFilename()).toBe('现场照片.html');
    await p.goto('/');
    await p.locator('.app-header').waitFor();
    expect(await p.title()).not.toBe('PWNED');
    expect(await p.evaluate(() => localStorage.getItem('pwned'))).toBeNull();
    // and fetched directly, it is named a download with no type a browser would render
    const res = await p.request.get(`/api/attachments/${ids.html}`);
    expect(res.headers()['content-disposition']).toMatch(/^attachment;/);
    expect(res.headers()['content-type']).toBe('application/octet-stream');
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
  });
});

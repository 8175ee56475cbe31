import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs } from './api.js';
import { baseUrl, launch, realErrors, signIn } from './helpers.js';
import {
  ALWAYS_ALLOWED,
  headerlessColumns,
  interfaceTexts,
  menuRoutes,
  otherLanguage,
  visit,
} from './sweep.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Data that keeps its own language in either interface: unit and people names, event titles, the duty shifts'
 * and holidays' names a unit set up — read from the API as the user sees them.
 */
async function dataNames(username: string): Promise<string[]> {
  const api = await apiAs(baseUrl(), username);
  const admin = await apiAs(baseUrl(), 'admin');
  const me = await api.get('/api/me');
  const month = new Date().toISOString().slice(0, 7);
  const names: string[] = [];
  names.push(...(await admin.get('/api/units')).items.map((u: { name: string }) => u.name));
  names.push(...(await admin.get('/api/users?limit=500')).items.map((u: { name: string }) => u.name));
  names.push(...((await api.get('/api/events')).items ?? []).map((e: { title: string }) => e.title));
  for (const unitId of new Set([me.unitId, me.actingUnitId].filter(Boolean))) {
    const roster = await api.get(`/api/duty/roster?unitId=${unitId}&month=${month}`).catch(() => null);
    for (const s of roster?.settings?.shifts ?? []) names.push(s.name);
    for (const d of roster?.days ?? []) if (d.holiday?.name) names.push(d.holiday.name);
  }
  return names;
}

describe('polish', () => {
  test.each([
    ['zh-CN', 'admin'],
    ['zh-CN', 'dc_zby'],
    ['zh-CN', 'cgz_xxy'],
    ['zh-CN', 'dc_ld'],
    ['en', 'admin'],
    ['en', 'dc_zby'],
    ['en', 'cgz_xxy'],
    ['en', 'dc_ld'],
  ] as const)(
    'in %s, %s’s pages speak one language in their headers, menus, buttons and labels, and every table column has a header',
    async (lang, user) => {
      const allowed = [...ALWAYS_ALLOWED, ...(await dataNames(user))];
      const { ctx, page, errors } = await signIn(browser, user, { lang });
      const mixed: string[] = [];
      const headerless: string[] = [];
      const routes = await menuRoutes(page);
      expect(routes.length).toBeGreaterThan(8);
      for (const r of routes) {
        await visit(page, r);
        for (const text of otherLanguage(await interfaceTexts(page), lang, allowed))
          mixed.push(`${r}: ${text}`);
        for (const col of await headerlessColumns(page)) headerless.push(`${r}: column ${col}`);
      }
      expect(mixed).toEqual([]);
      expect(headerless).toEqual([]);
      expect(realErrors(errors)).toEqual([]);
      await ctx.close();
    },
    240_000,
  );

  test('the language check catches text of the other language (it is not blind)', () => {
    expect(otherLanguage(['保存', 'Save', '导出 Excel'], 'zh-CN', ALWAYS_ALLOWED)).toEqual(['Save']);
    expect(
      otherLanguage(['Save', '保存', 'Versions（1）', '城关街道党政办'], 'en', ['城关街道党政办']),
    ).toEqual(['保存', 'Versions（1）']);
  });

  test('two-character buttons are written without a space between the characters', async () => {
    const { ctx, page, errors } = await signIn(browser, 'admin');
    await visit(page, '/admin/users');
    const buttons = (await page.locator('button').allInnerTexts()).map((s) => s.trim());
    expect(buttons).toEqual(expect.arrayContaining(['导入', '导出']));
    expect(buttons.filter((b) => /^[\u4e00-\u9fa5] [\u4e00-\u9fa5]$/.test(b))).toEqual([]);
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });

  test('the users table shows each person’s whole unit name', async () => {
    const { ctx, page, errors } = await signIn(browser, 'admin');
    await visit(page, '/admin/users');
    const cell = page
      .locator('tr', { hasText: 'dc_zby' })
      .locator('td', { hasText: '东城区委区政府总值班室' })
      .first();
    await cell.waitFor();
    // not cut off: the text is not truncated with an ellipsis
    expect(await cell.evaluate((td) => td.scrollWidth <= td.clientWidth + 1)).toBe(true);
    expect(await cell.innerText()).toContain('东城区委区政府总值班室');
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });
});

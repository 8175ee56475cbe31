/**
 * One policy in the browser: a page offers a button only when the API's `can` for the caller says yes, and the
 * API refuses exactly what the page does not offer (duty roster and notices, for people of different roles).
 */
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

describe('buttons follow what the API allows', () => {
  test('the duty roster: the duty officer may assign and publish, the leader of the level only reads', async () => {
    for (const [user, may] of [
      ['dc_zby', true],
      ['dc_ld', false],
    ] as const) {
      const { ctx, page, errors } = await signIn(browser, user);
      const month = page.waitForResponse((r) => r.url().includes('/api/duty/roster?'));
      await page.goto('/duty/roster');
      await page.locator('.page-header').first().waitFor();
      const body = await (await month).json();
      expect(body.can.edit, user).toBe(may);
      // the page settles on the month's shifts before counting buttons
      await page.waitForTimeout(500);
      const assign = await page.getByRole('button', { name: '排班' }).count();
      if (may) expect(assign, user).toBeGreaterThan(0);
      else expect(assign, user).toBe(0);
      // and the API agrees with the page
      const put = await page.request.post('/api/duty/shifts', {
        data: { unitId: body.unit.id, day: body.days[27].day, shiftCode: 'day' },
        headers: { origin: new URL(page.url()).origin },
      });
      if (may) expect(put.status(), user).toBe(200);
      else expect(put.status(), user).toBe(403);
      expect(realErrors(errors)).toEqual([]);
      await ctx.close();
    }
  });

  test('notices: the information section issues them, the duty officer does not see the button', async () => {
    for (const [user, may] of [
      ['sj_xxk', true],
      ['dc_zby', false],
    ] as const) {
      const { ctx, page, errors } = await signIn(browser, user);
      const answer = page.waitForResponse((r) => /\/api\/notices(\?|$)/.test(r.url()));
      await page.goto('/notices');
      const body = await (await answer).json();
      expect(body.can.issue, user).toBe(may);
      await page.locator('.page-header').first().waitFor();
      await page.waitForTimeout(300);
      expect(await page.getByRole('button', { name: '生成通报' }).count(), user).toBe(may ? 1 : 0);
      expect(realErrors(errors)).toEqual([]);
      await ctx.close();
    }
  });
});

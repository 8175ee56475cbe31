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

describe('release and statistics', () => {
  test('public release is refused with the server’s reason until the party office has the event', async () => {
    const editorApi = await apiAs(baseUrl(), 'dc_xxk');
    const units = await editorApi.get('/api/units');
    const township = units.items.find((u: any) => u.name === '东湖街道' && u.kind === 'area');
    const title = `东湖街道网传爆炸（发布 E2E ${Date.now().toString(36)}）`;
    const ev = await editorApi.post('/api/events', {
      title,
      categoryCode: '12G00',
      level: 'IV',
      occurredAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      place: { address: '东湖街道' },
      responsibleUnitId: township.id,
      source: 'media',
    });
    const editor = await signIn(browser, 'dc_xxk');
    const p = editor.page;
    await p.goto(`/events/${ev.id}`);
    await p.getByTestId('event-title').getByText(title).waitFor();
    await p.getByTestId('event-more').click();
    await p.locator('.ant-dropdown-menu-item', { hasText: '对外发布' }).click();
    await p.locator('#publish_text').fill('东湖街道一处仓库发生火情，无人员伤亡。');
    await p.locator('.ant-modal:visible').getByRole('button', { name: '对外发布' }).click();
    const blocked = p.getByTestId('publish-blocked');
    await blocked.waitFor();
    expect(await blocked.textContent()).toContain('党委办公室尚未收到');
    expect(realErrors(editor.errors)).toEqual([]);
    await editor.ctx.close();
  });

  test('the statistics page draws its charts', async () => {
    const s = await signIn(browser, 'dc_xxk');
    const p = s.page;
    await p.locator('.ant-menu').getByText('统计分析').click();
    await p.waitForURL(/\/stats$/);
    await expect
      .poll(() => p.locator('.echarts-for-react canvas, .echarts-for-react svg').count(), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(3);
    await p.waitForTimeout(800);
    await p.screenshot({ path: '/tmp/jibao-e2e-stats.png', fullPage: true });
    expect(realErrors(s.errors)).toEqual([]);
    await s.ctx.close();
  });
});

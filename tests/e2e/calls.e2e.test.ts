import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs } from './api.js';
import { baseUrl, launch, realErrors, signIn } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

describe('phone both ways', () => {
  test('the township records its outgoing call; the county confirms it from its intake; 对方未确认 goes away', async () => {
    const title = `城关街道建设路货车侧翻（去电 E2E ${Date.now().toString(36)}）`;
    const township = await apiAs(baseUrl(), 'cgz_xxy');
    const ev = await township.post('/api/events', {
      title,
      categoryCode: '12H00',
      level: 'III',
      occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      place: { address: '城关街道建设路' },
    });

    const sender = await signIn(browser, 'cgz_xxy');
    const s = sender.page;
    await s.goto(`/events/${ev.id}`);
    await s.getByTestId('event-title').getByText(title).waitFor();
    await s.getByTestId('record-outgoing-call').click();
    await s.getByTestId('call-answered-by').fill('郑敏');
    await s.getByTestId('call-said').fill('建设路一辆货车侧翻，一人被困，消防正在救援。');
    await s.getByRole('button', { name: '登记去电' }).click();
    await s.getByTestId('event-reports').getByText('对方未确认').waitFor();

    const duty = await signIn(browser, 'dc_zby');
    const d = duty.page;
    await d.goto('/intake');
    const row = d.getByTestId('intake-table').locator('tr', { hasText: title });
    await row.getByText('待确认').waitFor();
    await row.locator('[data-testid^="confirm-call-"]').click();
    await row.getByText('已确认').waitFor();

    await s.reload();
    await s.getByTestId('event-reports').getByText('对方已确认').waitFor();
    expect(await s.getByTestId('event-reports').getByText('对方未确认').count()).toBe(0);

    for (const x of [sender, duty]) {
      expect(realErrors(x.errors)).toEqual([]);
      await x.ctx.close();
    }
  });

  test('the approval dialog shows the version read; a report changed meanwhile is reloaded, then approved', async () => {
    const title = `城关街道人民路井盖缺失（审签 E2E ${Date.now().toString(36)}）`;
    const township = await apiAs(baseUrl(), 'cgz_xxy');
    const principal = await apiAs(baseUrl(), 'cgz_zyfzr');
    const ev = await township.post('/api/events', {
      title,
      categoryCode: '12P00',
      level: 'IV',
      occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      place: { address: '城关街道人民路' },
    });
    const draft = await township.post(`/api/events/${ev.id}/reports`, {
      kind: 'followup',
      elements: { measures: '已设置警示标志' },
    });
    await township.post(`/api/reports/${draft.id}/submit`, {});

    const leader = await signIn(browser, 'cgz_fgld');
    const p = leader.page;
    await p.goto('/inbox');
    await p.getByTestId(`approve-${draft.id}`).click();
    await p.getByTestId('approve-version').getByText('第 1 版').waitFor();
    await p.getByTestId('approve-dialog-report').getByText('已设置警示标志').waitFor();

    // meanwhile the report is returned, edited and submitted again
    await principal.post(`/api/reports/${draft.id}/return`, { reason: '写明抢修进展' });
    await township.patch(`/api/reports/${draft.id}`, {
      elements: { measures: '已设置警示标志，抢修队已到场' },
    });
    await township.post(`/api/reports/${draft.id}/submit`, {});

    await p.getByRole('button', { name: '同意报出' }).click();
    await p
      .locator('.ant-modal')
      .getByText(/已被修改/)
      .first()
      .waitFor();
    await p.getByTestId('approve-version').getByText('第 4 版').waitFor();
    await p.getByTestId('approve-changes').getByText('已设置警示标志，抢修队已到场').waitFor();
    await p.getByRole('button', { name: '同意报出' }).click();
    await p.locator('.ant-message').getByText('审签完成，报告已报出').waitFor();
    const r = await township.get(`/api/reports/${draft.id}`);
    expect(r.status).toBe('sent');
    expect(realErrors(leader.errors)).toEqual([]);
    await leader.ctx.close();
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fillTimeAgo, launch, realErrors, signIn } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Pick a unit in a tree select by searching its name; checks the pick took (the list re-renders while filtering). */
async function pickTreeUnit(p: Page, fieldId: string, name: string) {
  const picked = p.locator(`.ant-form-item:has(#${fieldId}) .ant-select-content[title="${name}"]`);
  for (let i = 0; i < 3; i++) {
    await p.locator(`#${fieldId}`).click();
    await p.locator(`#${fieldId}`).fill(name);
    const node = p.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', {
      hasText: name,
    });
    await node.first().waitFor();
    await p.waitForTimeout(200);
    await node.first().click();
    if (
      await picked
        .waitFor({ timeout: 2000 })
        .then(() => true)
        .catch(() => false)
    )
      return;
  }
  throw new Error(`could not pick ${name} in #${fieldId}`);
}

describe('phone reports and instructions', () => {
  test('the duty officer registers a phone report; the leader instructs; the township signs for it and reports back', async () => {
    const title = `城关街道液化气泄漏（电话 E2E ${Date.now().toString(36)}）`;
    const duty = await signIn(browser, 'dc_zby');
    const p = duty.page;
    await p.locator('.ant-menu').getByText('电话接报').click();
    await p.waitForURL(/\/phone$/);
    const form = p.getByTestId('phone-form');
    await pickTreeUnit(p, 'callerUnitId', '城关街道党政办');
    await form.locator('#callerName').fill('王五');
    await form.locator('#callerPost').fill('党政办主任');
    await form.locator('#callerPhone').fill('13800000000');
    await form.locator('#toldLeaders').fill('已报街道李书记');
    await form.locator('#title').fill(title);
    await form.locator('#category').click();
    await p.locator('.ant-cascader-menu-item').filter({ hasText: '事故灾难' }).click();
    await p
      .locator('.ant-cascader-menu-item')
      .filter({ hasText: /^火灾事故$/ })
      .click();
    await p.keyboard.press('Escape');
    await p.locator('label:has([data-testid=phone-level-IV])').click();
    await fillTimeAgo(p, '#occurredAt', 15);
    await form.locator('#address').fill('城关街道和平社区建设路 20 号');
    await form.locator('#cause').fill('一餐馆液化气罐阀门泄漏，已疏散周边群众。');
    await form.locator('#scope').fill('周边 50 米');
    await form.locator('#measures').fill('消防已到场关阀');
    // the responsible unit followed the caller to its area
    await expect(form.locator('.ant-form-item', { hasText: '责任单位' }).textContent()).resolves.toContain(
      '城关街道',
    );
    await p.getByTestId('phone-submit').click();
    await p.waitForURL(/\/events\/[0-9a-f-]{36}$/);
    const eventId = p.url().split('/').pop()!;
    await p.getByTestId('event-title').getByText(title).waitFor();
    const reports = p.getByTestId('event-reports');
    await reports.getByText('电话报告', { exact: true }).waitFor();
    await reports.getByText(/来电：城关街道党政办 王五（13800000000）/).waitFor();
    await p.getByTestId('event-timeline').getByText('记录电话报告', { exact: true }).waitFor();

    // a second call on the same event
    await p.getByTestId('record-call').click();
    const call = p.getByTestId('record-call-form');
    await pickTreeUnit(p, 'call_callerUnitId', '城关街道党政办');
    await call.locator('#call_callerName').fill('王五');
    await call.locator('#call_callerPhone').fill('13800000000');
    await call.locator('#call_cause').fill('泄漏已止住，无人员伤亡。');
    await p.locator('.ant-modal:visible').getByRole('button', { name: '记录来电' }).click();
    await p.locator('.ant-message').getByText('来电已记录').waitFor();
    await expect.poll(() => reports.getByText('电话报告', { exact: true }).count()).toBe(2);

    // the county leader gives an instruction to the township with a due time
    const leader = await signIn(browser, 'dc_ld');
    const l = leader.page;
    await l.goto(`/events/${eventId}`);
    await l.getByTestId('give-instruction').click();
    const ins = l.getByTestId('instruction-form');
    await ins.locator('#instr_text').fill('迅速排查周边燃气隐患，及时续报。');
    await ins.locator('#instr_dueAt').click();
    await l.locator('.ant-picker-presets li').first().click();
    await l
      .locator('.ant-modal:visible')
      .getByRole('button', { name: /^批\s*示$/ })
      .click();
    await l.locator('.ant-message').getByText('批示已下达').waitFor();
    const lPanel = l.getByTestId('instructions');
    await lPanel.getByText('迅速排查周边燃气隐患').waitFor();
    await lPanel.getByText('未签收').waitFor();
    // with a due time the township gets a supervised task (督办), shown on the instruction
    await lPanel.getByTestId('instruction-task').getByText('督办：办理中').waitFor();

    // the township sees it, signs for it and reports back; the leader's page follows live
    const township = await signIn(browser, 'cgz_xxy');
    const tp = township.page;
    await tp.goto(`/events/${eventId}`);
    const tPanel = tp.getByTestId('instructions');
    await tPanel.getByText('迅速排查周边燃气隐患').waitFor();
    await tPanel.getByTestId('instruction-ack').click();
    await tp.locator('.ant-message').getByText('已签收批示').waitFor();
    await tPanel.getByText(/签收$/).first().waitFor();
    await tPanel.getByTestId('instruction-feedback').click();
    await tp.locator('#feedback_text').fill('已排查周边 12 户燃气设施，未发现其他隐患。');
    await tp.locator('.ant-modal:visible').getByRole('button', { name: '落实反馈' }).click();
    await tp.locator('.ant-message').getByText('反馈已报送').waitFor();
    await tPanel.getByText('已排查周边 12 户燃气设施').waitFor();
    await tp.getByTestId('event-timeline').getByText('落实反馈', { exact: true }).waitFor();
    // the feedback closed the township's task; the task page links back to the event
    const taskLink = tPanel.getByTestId('instruction-task');
    await taskLink.getByText('督办：已办结').waitFor();
    await taskLink.click();
    await tp.getByTestId('task-status-done').waitFor();
    await tp.getByTestId('task-progress').getByText('已排查周边 12 户燃气设施').waitFor();
    await tp.getByTestId('task-source-link').click();
    await tp.waitForURL(`**/events/${eventId}`);
    await tPanel.getByText('迅速排查周边燃气隐患').waitFor();

    await l.reload();
    await lPanel.getByText('已排查周边 12 户燃气设施').waitFor();
    await l.getByTestId('event-timeline').getByText('签收批示', { exact: true }).waitFor();

    for (const s of [duty, leader, township]) {
      expect(realErrors(s.errors)).toEqual([]);
      await s.ctx.close();
    }
  });
});

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

async function pickOption(p: Page, fieldId: string, name: string) {
  const input = p.locator(`#${fieldId}`);
  await input.click();
  // a searchable select takes the name typed; a plain one is picked from the list
  if ((await input.getAttribute('readonly')) === null) await input.fill(name);
  await p.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${name}"]`).click();
}

describe('plans (应急预案)', () => {
  test('an editor writes a plan with tasks; the leader activates it on an event; the tasks are on the event page', async () => {
    const tag = Date.now().toString(36);
    const title = `东城区突发事件总体应急预案（E2E ${tag}）`;
    const { eventId } = await reportFromTownship(await apiAs(baseUrl(), 'cgz_xxy'), {
      title: `城关街道商铺起火（E2E ${tag}）`,
      minutesAgo: 20,
    });

    // 信息科 registers the plan with two tasks at level Ⅳ
    const editor = await signIn(browser, 'dc_xxk');
    const e = editor.page;
    await e.locator('.ant-menu').getByText('应急资源').waitFor();
    await e.goto('/plans');
    await e.getByTestId('plan-add').click();
    await e.waitForURL(/\/plans\/new$/);
    const form = e.getByTestId('plan-form');
    await form.locator('#title').fill(title);
    await pickOption(e, 'kind', '总体预案');
    // the revision date defaults to three years ahead
    await expect(form.locator('#reviseBy').inputValue()).resolves.toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await e.getByTestId('plan-add-task').click();
    await form.locator('#tasks_0_title').fill('封控现场、疏导交通');
    await pickOption(e, 'tasks_0_unitId', '东城区公安分局');
    await form.locator('#tasks_0_withinMinutes').fill('15');
    await e.getByTestId('plan-add-task').click();
    await form.locator('#tasks_1_title').fill('组织群众疏散');
    await pickOption(e, 'tasks_1_unitId', '城关街道');
    await e.keyboard.press('Escape'); // the unit list closed before saving
    await e.getByTestId('plan-save').click();
    await e.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
    await e.getByTestId('plan-level-IV').getByText('封控现场、疏导交通').waitFor();
    expect(await e.getByTestId('plan-activate').count()).toBe(0); // an editor does not activate

    // the leader sees it suggested on the event and activates it at level Ⅳ
    const leader = await signIn(browser, 'dc_ld');
    const l = leader.page;
    await l.goto(`/events/${eventId}`);
    const suggested = l.getByTestId('suggested-plans').locator('.ant-list-item', { hasText: title });
    await suggested.getByText('总体预案，适用全部类别').waitFor();
    await suggested.getByRole('button', { name: '启动预案' }).click();
    await l.getByTestId('activate-ok').click();
    const tasks = l.getByTestId('event-plan-tasks');
    await tasks.getByText('封控现场、疏导交通').waitFor();
    await tasks.getByText('组织群众疏散').waitFor();
    await expect(tasks.getByText('办理中').count()).resolves.toBe(2);
    await suggested.getByText('已启动：Ⅳ').waitFor();

    // on a phone the event page still fits
    await l.setViewportSize({ width: 390, height: 844 });
    await l.reload();
    await l.getByTestId('event-plan-tasks').getByText('封控现场、疏导交通').waitFor();
    expect(await l.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(realErrors(editor.errors)).toEqual([]);
    expect(realErrors(leader.errors)).toEqual([]);
    await editor.ctx.close();
    await leader.ctx.close();
  });
});

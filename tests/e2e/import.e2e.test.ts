import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch, realErrors, signIn } from './helpers.js';

const HEADER = ['名称', '类型', '级别', '上级单位', '行政区划代码', '值班电话', '传真'];

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('单位');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('importing units from Excel', () => {
  test('a file with a bad row shows the error by row number and imports nothing; a good file imports', async () => {
    const { ctx, page, errors } = await signIn(browser, 'admin');
    await page.goto('/admin/units');
    await page.getByRole('button', { name: /导\s*入/ }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '导入单位' });
    await dialog.waitFor();

    const bad = await xlsx([
      ['东城区审计局', '部门', '', '东城区', '', '0992-8100200', ''],
      ['东城区统计局', '某种机构', '', '东城区', '', '', ''],
    ]);
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'units-bad.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: bad,
    });
    const table = dialog.getByTestId('import-errors');
    await table.waitFor();
    expect(await table.textContent()).toContain('第 3 行');
    expect(await table.textContent()).toContain('某种机构');

    const good = await xlsx([
      ['东城区审计局', '部门', '', '东城区', '', '0992-8100200', ''],
      ['东城区统计局', '部门', '', '东城区', '', '', ''],
    ]);
    await dialog.locator('input[type=file]').setInputFiles({
      name: 'units-good.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: good,
    });
    await dialog.getByTestId('import-ok').waitFor();
    expect(await dialog.getByTestId('import-ok').textContent()).toContain('新建 2 条');
    await dialog.locator('.ant-modal-footer button').click();
    await page.locator('.unit-tree').getByText('东城区审计局').waitFor();
    expect(realErrors(errors)).toEqual([]);
    await ctx.close();
  });
});

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../../../tests/helpers/files.js';
import { contentDisposition, isPlainText, servingHeaders } from './serving.js';

const b = (s: string) => Buffer.from(s);

async function xlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('表').addRow(['事件', '伤亡']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('how an uploaded file is served', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
  ] as const)('a %s photo is shown inline, sandboxed, whatever its name says', async (kind, mime) => {
    const h = await servingHeaders(SAMPLES[kind], 'report.html');
    expect(h['content-type']).toBe(mime);
    expect(h['content-disposition']).toMatch(/^inline;/);
    expect(h['content-security-policy']).toBe('sandbox');
    expect(h['x-content-type-options']).toBe('nosniff');
  });

  it('a PDF is shown inline without the sandbox Chromium’s viewer refuses', async () => {
    const h = await servingHeaders(SAMPLES.pdf, '情况报告.pdf');
    expect(h['content-type']).toBe('application/pdf');
    expect(h['content-disposition']).toMatch(/^inline;/);
    expect(h['content-security-policy']).toBeUndefined();
    expect(h['x-content-type-options']).toBe('nosniff');
  });

  it('plain Chinese text is shown inline as UTF-8 text, sandboxed', async () => {
    const h = await servingHeaders(b('城关街道物流园起火，伤亡<3人，已扑灭。\n'), '说明.txt');
    expect(h['content-type']).toBe('text/plain; charset=utf-8');
    expect(h['content-disposition']).toMatch(/^inline;/);
    expect(h['content-security-policy']).toBe('sandbox');
  });

  it.each([
    ['an HTML page named .jpg', SAMPLES.html, '现场.jpg'],
    ['an SVG image', SAMPLES.svg, 'map.svg'],
    ['XML', b('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.xml'],
    ['HTML after blank lines and a BOM', b('\uFEFF\n\n  <html><script>1</script>'), 'a.txt'],
    ['text with a script tag further in', b('说明\n<script>alert(1)</script>'), 'a.txt'],
    ['text that is not UTF-8 (GBK)', Buffer.from([0xb3, 0xc7, 0xb9, 0xd8, 0xbd, 0xd6]), 'a.txt'],
    ['binary with NUL bytes', Buffer.from([0x41, 0x00, 0x42, 0x00]), 'a.txt'],
  ])('%s is downloaded, never rendered', async (_name, bytes, filename) => {
    const h = await servingHeaders(bytes, filename);
    expect(h['content-disposition']).toMatch(/^attachment;/);
    expect(h['content-type']).toBe('application/octet-stream');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['content-security-policy']).toBe('sandbox');
  });

  it('an Excel workbook is downloaded under its own type', async () => {
    const h = await servingHeaders(await xlsx(), '伤亡统计.xlsx');
    expect(h['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(h['content-disposition']).toMatch(/^attachment;/);
  });

  it('plain text is UTF-8 without NULs and without markup', () => {
    expect(isPlainText(b('值班记录 2026-11-23'))).toBe(true);
    expect(isPlainText(b('<b>加粗</b>'))).toBe(false);
    expect(isPlainText(b('ok <iframe src=x>'))).toBe(false);
  });
});

describe('file names in Content-Disposition', () => {
  it('a Chinese name survives RFC 5987 encoded, with an ASCII fallback', () => {
    const v = contentDisposition('inline', '现场照片 (1).jpg');
    expect(v).toBe(
      `inline; filename="____ (1).jpg"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87%20%281%29.jpg`,
    );
  });

  it('a name cannot end the header, add another one or climb directories', () => {
    const v = contentDisposition('attachment', '../../a"b\\c\r\nSet-Cookie: x=1;.html');
    expect(v).not.toMatch(/[\r\n]/);
    expect(v).toMatch(/^attachment; filename="c_?Set-Cookie: x=1;\.html"; filename\*=UTF-8''/);
    expect(v.split('filename*=')[1]).toBe(`UTF-8''cSet-Cookie%3A%20x%3D1%3B.html`);
  });
});

import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { docDate } from './notices.js';

/**
 * A notice (通报) as a Word file in the layout of GB/T 9704 (党政机关公文格式): A4, margins 37/35/28/26 mm,
 * 22 lines of 28 characters; red masthead of the issuing office, the document number under it and a red
 * line; the title centred in 2号 小标宋; body in 3号 仿宋 with 2-character first-line indent, headings in 黑体;
 * issuing office and date (2026年11月23日) at the end; page numbers "— 1 —" in 4号 宋体 on the outer side.
 * Everything is ordinary paragraphs and one table, so users can still edit it in Word or WPS. The layout constants
 * and helpers are exported for the other documents in the same layout (政务信息 issues: affairs/issue-docx.ts).
 */
export const MM = 56.6929; // twips per millimetre
export const LINE = 579; // 28.95 pt: 22 lines in the 225 mm text block
export const CHAR = 320; // one 3号 character (16 pt) in twips

export const FANGSONG = {
  ascii: 'Times New Roman',
  hAnsi: 'Times New Roman',
  eastAsia: '仿宋_GB2312',
  cs: '仿宋_GB2312',
};
export const XBS = {
  ascii: '方正小标宋简体',
  hAnsi: '方正小标宋简体',
  eastAsia: '方正小标宋简体',
  cs: '方正小标宋简体',
};
export const HEITI = { ascii: '黑体', hAnsi: '黑体', eastAsia: '黑体', cs: '黑体' };
export const KAITI = {
  ascii: '楷体_GB2312',
  hAnsi: '楷体_GB2312',
  eastAsia: '楷体_GB2312',
  cs: '楷体_GB2312',
};
export const SONG = { ascii: '宋体', hAnsi: '宋体', eastAsia: '宋体', cs: '宋体' };
export const RED = 'E60012';

export const size3 = 32; // 3号 = 16 pt (half-points)
export const size2 = 44; // 2号 = 22 pt
export const size4 = 28; // 4号 = 14 pt

export const exact = (line = LINE, before = 0, after = 0) => ({
  line,
  lineRule: LineRuleType.EXACT,
  before,
  after,
});

export const blank = (n = 1) =>
  Array.from(
    { length: n },
    () =>
      new Paragraph({ spacing: exact(), children: [new TextRun({ text: '', font: FANGSONG, size: size3 })] }),
  );

export function body(
  text: string,
  opts: { indent?: boolean; font?: typeof FANGSONG; keepNext?: boolean } = {},
) {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    keepNext: opts.keepNext,
    keepLines: true,
    spacing: exact(),
    indent: opts.indent === false ? undefined : { firstLine: 2 * CHAR },
    children: [new TextRun({ text, font: opts.font ?? FANGSONG, size: size3 })],
  });
}

const heading1 = (text: string) => body(text, { font: HEITI, keepNext: true });
const heading2 = (text: string) => body(text, { font: KAITI, keepNext: true });

const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const cn = (i: number) => (i < 10 ? CN[i] : String(i + 1));

function cell(text: string, width: number, opts: { bold?: boolean; center?: boolean } = {}) {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    children: [
      new Paragraph({
        alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT,
        spacing: exact(400),
        children: [new TextRun({ text, font: opts.bold ? HEITI : FANGSONG, size: size4 })],
      }),
    ],
  });
}

export function pageNumber(align: 'right' | 'left') {
  return new Footer({
    children: [
      new Paragraph({
        alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: align === 'right' ? { right: CHAR } : { left: CHAR },
        children: [
          new TextRun({ text: '— ', font: SONG, size: size4 }),
          new TextRun({ children: [PageNumber.CURRENT], font: SONG, size: size4 }),
          new TextRun({ text: ' —', font: SONG, size: size4 }),
        ],
      }),
    ],
  });
}

/** Width of a text in 3号 characters (digits and Latin count half). */
export const widthChars = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) < 128 ? 0.5 : 1), 0);

export async function noticeDocx(n: any): Promise<Buffer> {
  const textWidth = Math.round(156 * MM);
  const offences: any[] = n.offences ?? [];
  const totals: any[] = n.totals ?? [];
  const s = n.summary ?? {};
  const rate = s.onTimeRate === null || s.onTimeRate === undefined ? null : (s.onTimeRate * 100).toFixed(1);

  const children: Array<Paragraph | Table> = [];
  // masthead: 35 mm below the top of the text block, red, centred
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: Math.round(35 * MM) - LINE, after: 0, line: 1000, lineRule: LineRuleType.EXACT },
      children: [
        new TextRun({
          text: n.masthead ?? `${n.issuerName}文件`,
          font: XBS,
          size: widthChars(n.masthead ?? '') > 11 ? 60 : 72,
          color: RED,
          characterSpacing: widthChars(n.masthead ?? '') > 11 ? 0 : 20,
        }),
      ],
    }),
  );
  children.push(...blank(2));
  // document number, and 4 mm below it the red separator line as wide as the text block
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: exact(),
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 6 } },
      children: [new TextRun({ text: n.number, font: FANGSONG, size: size3 })],
    }),
  );
  children.push(...blank(2));
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: exact(Math.round(LINE * 1.2)),
      children: [new TextRun({ text: n.title, font: XBS, size: size2 })],
    }),
  );
  children.push(...blank(1));
  children.push(body(n.addressee ?? '各有关单位：', { indent: false }));
  children.push(
    body(
      `为进一步加强紧急信息报送工作，确保重要紧急信息报送及时、准确、全面，根据紧急信息报送有关规定和时效要求，现将${n.periodText}${n.areaName ?? ''}紧急信息报送情况通报如下。`,
    ),
  );
  let h = 0;
  children.push(heading1(`${cn(h++)}、总体情况`));
  children.push(
    body(
      `${n.periodText}，共发生须报送的突发事件${s.events ?? 0}起。应报送时限${s.judged ?? 0}项，按时报送${s.onTime ?? 0}项${rate ? `，按时报送率${rate}%` : ''}；迟报${s.late ?? 0}项，漏报${s.missed ?? 0}项${s.zeroReports ? `（含零报告${s.zeroReports}项）` : ''}。`,
    ),
  );
  children.push(heading1(`${cn(h++)}、存在的问题`));
  if (offences.length === 0) children.push(body('本期未发现迟报、漏报、瞒报、谎报问题。'));
  else {
    const byKind = new Map<string, any[]>();
    for (const o of offences) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o]);
    const KIND_HEAD: Record<string, string> = {
      late: '迟报问题',
      missed: '漏报问题',
      concealed: '瞒报问题',
      false: '谎报问题',
      duty_absent: '值班值守问题',
      missing_followup: '续报不及时问题',
      missing_element: '要素缺失问题',
    };
    let k = 0;
    for (const kind of [
      'missed',
      'concealed',
      'false',
      'late',
      'duty_absent',
      'missing_followup',
      'missing_element',
    ]) {
      const list = byKind.get(kind);
      if (!list?.length) continue;
      children.push(heading2(`（${cn(k++)}）${KIND_HEAD[kind]}（${list.length}项）`));
      list.forEach((o, i) => {
        children.push(body(`${i + 1}. ${o.text}`));
      });
    }
  }
  children.push(heading1(`${cn(h++)}、扣分情况`));
  if (totals.length === 0) children.push(body('本期无扣分单位。'));
  else {
    children.push(
      body(
        `依据目标考核倒扣分办法，对上述问题扣减有关单位年度目标考核分数，年内重复发生的加倍扣分。扣分情况如下：`,
      ),
    );
    const w = [Math.round(textWidth * 0.12), Math.round(textWidth * 0.48), Math.round(textWidth * 0.2)];
    w.push(textWidth - w[0] - w[1] - w[2]);
    children.push(
      new Table({
        width: { size: textWidth, type: WidthType.DXA },
        columnWidths: w,
        rows: [
          new TableRow({
            tableHeader: true,
            children: ['序号', '单位', '问题（项）', '扣分'].map((t, i) =>
              cell(t, w[i], { bold: true, center: true }),
            ),
          }),
          ...totals.map(
            (t, i) =>
              new TableRow({
                children: [
                  cell(String(i + 1), w[0], { center: true }),
                  cell(t.unitName, w[1]),
                  cell(String(t.count), w[2], { center: true }),
                  cell(String(t.points), w[3], { center: true }),
                ],
              }),
          ),
        ],
      }),
    );
  }
  children.push(heading1(`${cn(h++)}、有关要求`));
  (n.requirements ?? []).forEach((r: string, i: number) => {
    children.push(body(`（${cn(i)}）${r}`));
  });
  // issuing office and date: the date 4 characters from the right, the office centred above it
  children.push(...blank(3));
  const date = docDate(n.issuedOn);
  const dateW = widthChars(date);
  const sig = n.issuerName ?? '';
  const sigIndent = Math.max(0, 4 + (dateW - widthChars(sig)) / 2);
  children.push(
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: exact(),
      indent: { right: Math.round(sigIndent * CHAR) },
      children: [new TextRun({ text: sig, font: FANGSONG, size: size3 })],
    }),
  );
  children.push(
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: exact(),
      indent: { right: 4 * CHAR },
      children: [new TextRun({ text: date, font: FANGSONG, size: size3 })],
    }),
  );

  const doc = new Document({
    creator: 'Jibao 急报',
    title: n.title,
    description: n.number,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: { run: { font: FANGSONG, size: size3 }, paragraph: { spacing: exact() } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
            margin: {
              top: Math.round(37 * MM),
              bottom: Math.round(35 * MM),
              left: Math.round(28 * MM),
              right: Math.round(26 * MM),
              footer: Math.round(28 * MM) - 400,
            },
          },
        },
        footers: { default: pageNumber('right'), even: pageNumber('left') },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

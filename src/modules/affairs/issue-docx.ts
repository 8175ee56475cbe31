import {
  AlignmentType,
  BorderStyle,
  Document,
  LineRuleType,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import {
  blank,
  body,
  CHAR,
  exact,
  FANGSONG,
  HEITI,
  KAITI,
  LINE,
  MM,
  pageNumber,
  RED,
  size2,
  size3,
  size4,
  widthChars,
  XBS,
} from '../accountability/notice-docx.js';

/**
 * An issue of a publication (刊物) as a Word file in the official layout (GB/T 9704), the notices' helpers reused:
 * A4 with the standard margins; the publication's name as the red masthead; the issue line 2026年第N期（总第M期）
 * with the section and the date under a red rule; then the pieces in order, each with its title in 小标宋 and its
 * body in 3号 仿宋 (16 pt) — headings in 黑体/楷体, list items numbered, tables kept as tables.
 */
export interface IssueDoc {
  publicationName: string;
  officeName: string;
  year: number;
  number: number;
  totalNumber: number;
  date: string; // 2026年11月23日
  title: string | null;
  pieces: Array<{ title: string; unitName: string; body: string }>;
}

type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'para'; text: string }
  | { type: 'item'; text: string; n: number | null }
  | { type: 'table'; rows: string[][] };

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};
const decode = (s: string) =>
  s.replace(/&(#x?[0-9a-f]+|[a-z]+|#39);/gi, (m, e: string) => {
    if (ENTITIES[e]) return ENTITIES[e];
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return m;
  });

/** The blocks of a sanitised body (only the tags `sanitizeBody` keeps ever reach here). */
export function blocksOf(html: string): Block[] {
  const out: Block[] = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];
  let text: string | null = null;
  let table: string[][] | null = null;
  let row: string[] | null = null;
  let cell: string | null = null;
  let pending: 'heading' | 'para' | 'item' | null = null;
  let level = 0;
  const flush = () => {
    if (text === null) return;
    const t = text.replace(/\s+/g, ' ').trim();
    if (t) {
      if (pending === 'heading') out.push({ type: 'heading', level, text: t });
      else if (pending === 'item') {
        const l = lists[lists.length - 1];
        out.push({ type: 'item', text: t, n: l?.ordered ? l.n : null });
      } else out.push({ type: 'para', text: t });
    }
    text = null;
    pending = null;
  };
  const re = /<(\/?)([a-z0-9]+)[^>]*>|([^<]+)/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m[3] !== undefined) {
      const s = decode(m[3]);
      if (cell !== null) cell += s;
      else if (text !== null) text += s;
      else if (s.trim()) {
        text = s;
        pending = 'para';
      }
      continue;
    }
    const close = m[1] === '/';
    const tag = m[2].toLowerCase();
    if (tag === 'br') {
      if (cell !== null) cell += '\n';
      else if (text !== null) text += ' ';
      continue;
    }
    if (table) {
      if (tag === 'tr' && !close) row = [];
      else if (tag === 'tr' && close && row) {
        table.push(row);
        row = null;
      } else if ((tag === 'td' || tag === 'th') && !close) cell = '';
      else if ((tag === 'td' || tag === 'th') && close && cell !== null) {
        if (!row) row = [];
        row.push(cell.trim());
        cell = null;
      } else if (tag === 'table' && close) {
        out.push({ type: 'table', rows: table });
        table = null;
      }
      continue;
    }
    if (/^h[1-6]$/.test(tag)) {
      flush();
      if (!close) {
        text = '';
        pending = 'heading';
        level = Number(tag[1]);
      }
    } else if (tag === 'p' || tag === 'blockquote') {
      flush();
      if (!close) {
        text = '';
        pending = 'para';
      }
    } else if (tag === 'ol' || tag === 'ul') {
      flush();
      if (!close) lists.push({ ordered: tag === 'ol', n: 0 });
      else lists.pop();
    } else if (tag === 'li') {
      flush();
      if (!close) {
        const l = lists[lists.length - 1];
        if (l) l.n++;
        text = '';
        pending = 'item';
      }
    } else if (tag === 'table' && !close) {
      flush();
      table = [];
    }
  }
  flush();
  return out;
}

function tableOf(rows: string[][], width: number): Table {
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const w = Math.floor(width / cols);
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: Array.from({ length: cols }, () => w),
    rows: rows.map(
      (r, i) =>
        new TableRow({
          tableHeader: i === 0,
          children: Array.from(
            { length: cols },
            (_, k) =>
              new TableCell({
                width: { size: w, type: WidthType.DXA },
                verticalAlign: VerticalAlign.CENTER,
                children: (r[k] ?? '').split('\n').map(
                  (line) =>
                    new Paragraph({
                      alignment: AlignmentType.CENTER,
                      spacing: exact(400),
                      children: [new TextRun({ text: line, font: i === 0 ? HEITI : FANGSONG, size: size4 })],
                    }),
                ),
              }),
          ),
        }),
    ),
  });
}

export async function issueDocx(d: IssueDoc): Promise<Buffer> {
  const textWidth = Math.round(156 * MM);
  const children: Array<Paragraph | Table> = [];
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: Math.round(35 * MM) - LINE, after: 0, line: 1000, lineRule: LineRuleType.EXACT },
      children: [
        new TextRun({
          text: d.publicationName,
          font: XBS,
          size: widthChars(d.publicationName) > 8 ? 60 : 80,
          color: RED,
          characterSpacing: widthChars(d.publicationName) > 8 ? 0 : 40,
        }),
      ],
    }),
  );
  children.push(...blank(1));
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: exact(),
      children: [
        new TextRun({
          text: `${d.year}年第${d.number}期（总第${d.totalNumber}期）`,
          font: FANGSONG,
          size: size3,
        }),
      ],
    }),
  );
  // the section on the left, the date on the right, over the red rule
  children.push(
    new Paragraph({
      spacing: exact(),
      tabStops: [{ type: 'right', position: textWidth }],
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 6 } },
      children: [
        new TextRun({ text: d.officeName, font: FANGSONG, size: size3 }),
        new TextRun({ text: `\t${d.date}`, font: FANGSONG, size: size3 }),
      ],
    }),
  );
  children.push(...blank(1));
  d.pieces.forEach((p, i) => {
    if (i > 0) children.push(...blank(1));
    children.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: exact(Math.round(LINE * 1.2)),
        keepNext: true,
        children: [new TextRun({ text: p.title, font: XBS, size: size2 })],
      }),
    );
    for (const b of blocksOf(p.body)) {
      if (b.type === 'heading')
        children.push(body(b.text, { font: b.level <= 2 ? HEITI : KAITI, keepNext: true }));
      else if (b.type === 'para') children.push(body(b.text));
      else if (b.type === 'item') children.push(body(b.n ? `${b.n}. ${b.text}` : `· ${b.text}`));
      else children.push(tableOf(b.rows, textWidth));
    }
    children.push(
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        spacing: exact(),
        indent: { right: 2 * CHAR },
        children: [new TextRun({ text: `（${p.unitName}）`, font: FANGSONG, size: size3 })],
      }),
    );
  });
  const doc = new Document({
    creator: 'Jibao 急报',
    title: `${d.publicationName} ${d.year}年第${d.number}期`,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: { document: { run: { font: FANGSONG, size: size3 }, paragraph: { spacing: exact() } } },
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

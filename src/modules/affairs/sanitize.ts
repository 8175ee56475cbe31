import sanitizeHtml from 'sanitize-html';

/**
 * The stored body of a piece (稿件): HTML kept to what a piece is made of — headings, paragraphs, lists, tables,
 * emphasis, quotes — so a paste from Word keeps its structure and loses its `mso-` styles, classes, scripts,
 * event handlers, comments and conditional blocks. Images are not kept in the body (embedded base64 images would
 * bypass the file rules). Done on the server with `sanitize-html`, whatever the editor sent.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'sub',
    'sup',
    'blockquote',
    'ol',
    'ul',
    'li',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
  ],
  allowedAttributes: { td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'], ol: ['start'] },
  allowedSchemes: [],
  disallowedTagsMode: 'discard',
  // script, style and the like go with their content; Word's <o:p> wrappers go, their text stays
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'xml', 'title', 'head'],
  allowProtocolRelative: false,
  enforceHtmlBoundary: true,
};

export function sanitizeBody(html: string): string {
  // Word's conditional comments (<!--[if gte mso 9]>…<![endif]-->) carry only layout
  const noConditionals = html.replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '');
  return sanitizeHtml(noConditionals, OPTIONS)
    .replace(/(<p>\s*(&nbsp;|\u00a0)?\s*<\/p>\s*)+/g, '')
    .trim();
}

/** The text of a body (for lengths, previews and the Word file). */
export const bodyText = (html: string): string =>
  sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** At most this many embedded images per body, each at most this large (decoded). */
export const MAX_EMBEDDED = 20;
export const MAX_EMBEDDED_BYTES = 10 * 1024 * 1024;

/**
 * The images embedded in a pasted body (`<img src="data:image/png;base64,…">`, as Word and browsers paste them):
 * decoded, to be kept as the piece's files under the file rules (type decided from the bytes when served). The
 * body itself keeps no image.
 */
export function embeddedImages(html: string): Array<{ filename: string; data: Buffer }> {
  const out: Array<{ filename: string; data: Buffer }> = [];
  const re = /<img\b[^>]*?\bsrc\s*=\s*["']?data:image\/([a-z0-9.+-]+);base64,([a-z0-9+/=\s]+)["']?/gi;
  for (let m = re.exec(html); m && out.length < MAX_EMBEDDED; m = re.exec(html)) {
    const data = Buffer.from(m[2].replace(/\s+/g, ''), 'base64');
    if (data.length === 0 || data.length > MAX_EMBEDDED_BYTES) continue;
    const ext =
      m[1]
        .toLowerCase()
        .replace('jpeg', 'jpg')
        .replace(/[^a-z0-9]/g, '') || 'img';
    out.push({ filename: `image-${out.length + 1}.${ext}`, data });
  }
  return out;
}

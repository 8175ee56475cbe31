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

import { fileTypeFromBuffer } from 'file-type';

/**
 * How an uploaded file is served back. One rule for every module that keeps files (report attachments now;
 * plans, drills, hazards later): the type comes from the bytes (`file-type`), never from what the uploading
 * client claimed or what was stored with the row. Only types a browser cannot run script in are shown inline:
 *
 * - PNG, JPEG, WebP, GIF (never SVG) and plain UTF-8 text: inline, under `Content-Security-Policy: sandbox`;
 * - PDF: inline without the sandbox (Chromium's PDF viewer refuses a sandboxed document);
 * - everything else (Office, HTML, SVG, XML, archives, unknown bytes): `attachment`, i.e. downloaded.
 *
 * Every answer carries `X-Content-Type-Options: nosniff`, so the browser takes the type as given.
 */

/** Raster images a browser only displays. SVG is a document with script, so it is not one of them. */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);
const PDF = 'application/pdf';
const OCTET = 'application/octet-stream';
/** Types that a browser would run as a document if it ever rendered them: never named in a download either. */
const MARKUP =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|application\/xml|text\/xml|text\/javascript|application\/javascript|application\/ecmascript)/i;

/** How much of the start of a file decides whether it is markup (browsers sniff the first 512 bytes). */
const SNIFF_BYTES = 1024;
/**
 * Starts a browser (or an XML parser) would render as a document: the HTML sniffing patterns of the MIME
 * sniffing standard, `<?xml`, `<svg`, and common script-carrying tags.
 */
const MARKUP_START =
  /<(?:!doctype|!--|\?xml|html|head|body|script|iframe|frame|frameset|svg|math|style|title|table|div|font|a|b|p|br|h1|img|object|embed|meta|link|form|base|xsl:|xml)(?=[\s/>]|$)/i;

export type Disposition = 'inline' | 'attachment';

export interface ServingDecision {
  /** The type the bytes are (detected), or `text/plain` / `application/octet-stream`. */
  mime: string;
  disposition: Disposition;
  /** `true`: the answer carries `Content-Security-Policy: sandbox`. */
  sandbox: boolean;
}

/** Bytes that are plain text: valid UTF-8, no NUL, and no markup a browser would render as a document. */
export function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  const head = text.replace(/^\uFEFF/, '').slice(0, SNIFF_BYTES);
  if (head.trimStart().startsWith('<')) return false;
  return !MARKUP_START.test(head);
}

/** Detect what the bytes are and decide how they may be shown. The name and any stored type play no part. */
export async function decideServing(bytes: Uint8Array): Promise<ServingDecision> {
  const detected = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (detected && INLINE_IMAGES.has(detected.mime))
    return { mime: detected.mime, disposition: 'inline', sandbox: true };
  if (detected?.mime === PDF) return { mime: PDF, disposition: 'inline', sandbox: false };
  if (!detected && isPlainText(bytes))
    return { mime: 'text/plain; charset=utf-8', disposition: 'inline', sandbox: true };
  const mime = detected && !MARKUP.test(detected.mime) ? detected.mime : OCTET;
  return { mime, disposition: 'attachment', sandbox: true };
}

/** RFC 5987 `ext-value` characters: everything else is percent-encoded. */
const encodeRfc5987 = (s: string) =>
  encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A file name as stored: no directories, no control characters, at most 200 characters. */
export function cleanFilename(name: string | null | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '').trim();
  return [...clean].slice(0, 200).join('') || 'file';
}

/**
 * `Content-Disposition` with a safe name: an ASCII fallback (`filename="…"`, quotes, backslashes and anything
 * outside printable ASCII replaced) and the exact name RFC 5987-encoded (`filename*=UTF-8''…`). Nothing of the
 * name can end the header or start another.
 */
export function contentDisposition(disposition: Disposition, filename: string): string {
  const name = cleanFilename(filename);
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/** The response headers to serve these bytes under this name. */
export async function servingHeaders(bytes: Uint8Array, filename: string): Promise<Record<string, string>> {
  const d = await decideServing(bytes);
  const headers: Record<string, string> = {
    'content-type': d.mime,
    'content-disposition': contentDisposition(d.disposition, filename),
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'private, no-cache',
  };
  if (d.sandbox) headers['content-security-policy'] = 'sandbox';
  return headers;
}

/** The smallest files of each kind that carry their real signatures (for upload and serving tests). */
const b = (s: string) => Buffer.from(s);

export const SAMPLES = {
  png: Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
  gif: Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
  webp: Buffer.concat([b('RIFF'), Buffer.from([0x1a, 0, 0, 0]), b('WEBPVP8 '), Buffer.alloc(18)]),
  pdf: b(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  ),
  html: b(
    '<!DOCTYPE html><html><body><script>document.title="PWNED";try{localStorage.setItem("pwned","1")}catch(e){}</script></body></html>',
  ),
  svg: b('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'),
};

/** A multipart/form-data body with one file field. */
export function multipart(filename: string, contentType: string, data: Buffer, boundary = '----jibao-test') {
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

import type { AddressInfo } from 'node:net';
import net from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  clientErrorHandler,
  frameworkErrors,
  registerErrorHandler,
} from '../../src/server/plugins/errors.js';

/**
 * Point 8 of issue #9: errors Fastify raises before any route (a bad %-escape in the path, raw bytes the
 * HTTP parser refuses) leave in the contract's shape and the user's language. The app passes these two
 * handlers to `Fastify({ frameworkErrors, clientErrorHandler })`.
 */
describe('errors raised before a route is found', () => {
  it('a bad %-escape in the path answers in our shape (frameworkErrors), not Fastify’s', async () => {
    const app = Fastify({ frameworkErrors });
    registerErrorHandler(app);
    app.get('/api/events/:id', async () => ({}));
    const zh = await app.inject({ method: 'GET', url: '/api/events/%E4%ZZ' });
    expect(zh.statusCode).toBe(400);
    expect(zh.json()).toEqual({
      error: { code: 'bad_url', message: expect.stringContaining('请求地址无效'), details: {} },
    });
    const en = await app.inject({
      method: 'GET',
      url: '/api/events/%E4',
      headers: { 'accept-language': 'en' },
    });
    expect(en.json().error.message).toMatch(/URL is not valid/);
    await app.close();
  });

  it('unencoded UTF-8 bytes in a query answer in our shape (clientErrorHandler), not Fastify’s', async () => {
    const app = Fastify({ frameworkErrors, clientErrorHandler });
    registerErrorHandler(app);
    app.get('/api/events', async (req) => ({ q: (req.query as any).q }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const raw = await new Promise<string>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write(
          Buffer.concat([
            Buffer.from('GET /api/events?q='),
            Buffer.from([0xe4, 0x00]),
            Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
          ]),
        );
      });
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString('latin1');
      });
      s.on('end', () => resolve(buf));
      s.on('error', reject);
    });
    await app.close();
    const status = Number(raw.split(' ')[1]);
    expect(status).toBeGreaterThanOrEqual(400);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String), details: {} });
    expect(body).not.toHaveProperty('statusCode');
  });
});

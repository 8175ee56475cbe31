import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../../modules/shared/errors.js';
import { langFrom, t } from '../../modules/shared/i18n.js';

/** Every error leaves as {error: {code, message, details}} with the message in the caller's language. */
export function registerErrorHandler(app: FastifyInstance, opts: { notFound?: boolean } = {}): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = langFrom(req.headers['accept-language']);
    if (err instanceof AppError) {
      return reply
        .code(err.status)
        .send({ error: { code: err.code, message: err.message_(lang), details: err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v: any) => ({
        path: [
          err.validationContext,
          ...String(v.instancePath ?? '')
            .split('/')
            .filter(Boolean),
        ].join('.'),
        message: v.message,
      }));
      const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      return reply.code(400).send({
        error: {
          code: 'validation',
          message: t(lang, 'error.validation', { summary }),
          details: { issues },
        },
      });
    }
    if (
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      (err.statusCode === 400 && /JSON/i.test(err.message))
    ) {
      return reply
        .code(400)
        .send({ error: { code: 'invalid_json', message: t(lang, 'error.invalid_json'), details: {} } });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({
        error: { code: 'payload_too_large', message: t(lang, 'error.payload_too_large'), details: {} },
      });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({
        error: {
          code: 'unsupported_media_type',
          message: t(lang, 'error.unsupported_media_type'),
          details: {},
        },
      });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({
        error: {
          code: 'bad_request',
          message: t(lang, 'error.validation', { summary: err.message }),
          details: {},
        },
      });
    }
    // Invalid input that reached PostgreSQL (e.g. a text value the column cannot hold) is the caller's error.
    const pgCode = (err as any).code ?? (err as any).cause?.code;
    if (typeof pgCode === 'string' && /^(22|23)/.test(pgCode)) {
      req.log.warn({ err }, 'input rejected by the database');
      return reply.code(400).send({
        error: {
          code: 'validation',
          message: t(lang, 'error.validation', { summary: pgCode }),
          details: {},
        },
      });
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .code(500)
      .send({ error: { code: 'internal', message: t(lang, 'error.internal'), details: {} } });
  });
  // the web app sets its own (index.html for page paths); Fastify allows one not-found handler per prefix
  if (opts.notFound === false) return;
  app.setNotFoundHandler((req, reply) => {
    const lang = langFrom(req.headers['accept-language']);
    reply.code(404).send({ error: { code: 'not_found', message: t(lang, 'error.not_found'), details: {} } });
  });
}

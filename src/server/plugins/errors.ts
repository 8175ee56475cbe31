import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../../floor/errors.js';
import { type Lang, langFrom, registerMessages, t } from '../../floor/i18n.js';
import { issueSummary, toValidationIssue } from '../../floor/validation.js';

registerMessages(
  {
    'error.bad_request': '请求无效。',
    'error.bad_url': '请求地址无效（含有未编码的字符或错误的 % 转义）。',
    'error.uri_too_long': '请求地址过长。',
    'error.method_not_allowed': '不支持此请求方法。',
    'error.not_acceptable': '无法提供所要求的内容格式。',
    'error.request_timeout': '请求处理超时，已中止；没有保存任何内容。请稍后重试。',
    'error.already_exists': '该记录已存在。',
    'error.reference_missing': '所引用的记录不存在或已被删除。',
    'error.value_required': '缺少必填的内容。',
    'error.invalid_value': '提交的值无效。',
    'error.too_long': '提交的内容过长。',
    'error.invalid_characters': '提交的内容含有无效字符。',
    'error.out_of_range': '提交的数值超出允许范围。',
    'error.invalid_date': '提交的日期或时间无效。',
    'error.conflict': '与现有记录冲突，请刷新后重试。',
  },
  {
    'error.bad_request': 'The request is not valid.',
    'error.bad_url': 'The request URL is not valid (unencoded characters or a bad % escape).',
    'error.uri_too_long': 'The request URL is too long.',
    'error.method_not_allowed': 'This method is not allowed here.',
    'error.not_acceptable': 'The requested content type cannot be provided.',
    'error.request_timeout':
      'The request took too long and was stopped; nothing was saved. Please retry later.',
    'error.already_exists': 'This record already exists.',
    'error.reference_missing': 'A referenced record does not exist or was deleted.',
    'error.value_required': 'A required value is missing.',
    'error.invalid_value': 'A submitted value is not valid.',
    'error.too_long': 'A submitted value is too long.',
    'error.invalid_characters': 'The submitted text contains invalid characters.',
    'error.out_of_range': 'A submitted number is out of range.',
    'error.invalid_date': 'A submitted date or time is not valid.',
    'error.conflict': 'This conflicts with an existing record; refresh and retry.',
  },
);

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

const body = (lang: Lang, code: string, details: Record<string, unknown> = {}): ErrorBody => ({
  error: { code, message: t(lang, `error.${code}`), details },
});

// ---- PostgreSQL: a class of refusal per SQLSTATE, never the raw code in the message ----------------------

/**
 * What a PostgreSQL error means for the caller: 22xxx (data exception) is invalid input (400 `validation`),
 * 23xxx (integrity constraint) a conflict with what is stored (409 `conflict`, or 400 for a missing value or
 * a failed check); 57014 is a statement cut by `statement_timeout` (503). The message names the class
 * (`reason`, also in `details`), never the SQLSTATE. Anything else is ours (null → 500).
 */
export function pgRefusal(sqlState: string): { status: number; code: string; reason: string } | null {
  const v = (reason: string) => ({ status: 400, code: 'validation', reason });
  const c = (reason: string) => ({ status: 409, code: 'conflict', reason });
  switch (sqlState) {
    case '23505':
      return c('already_exists');
    case '23503':
      return c('reference_missing');
    case '23502':
      return v('value_required');
    case '23514':
      return v('invalid_value');
    case '22001':
      return v('too_long');
    case '22021': // character_not_in_repertoire (e.g. NUL)
    case '22P05': // untranslatable_character
    case '22025': // invalid_escape_sequence
      return v('invalid_characters');
    case '22003':
      return v('out_of_range');
    case '22007':
    case '22008':
      return v('invalid_date');
    case '57014':
      return { status: 503, code: 'request_timeout', reason: 'request_timeout' };
  }
  if (sqlState.startsWith('22')) return v('invalid_value');
  if (sqlState.startsWith('23')) return c('conflict');
  return null;
}

function sqlStateOf(err: unknown): string | null {
  for (let e: any = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string')
      return e.code;
  }
  return null;
}

// ---- Fastify's own errors -------------------------------------------------------------------------------

const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_EMPTY_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_NOT_FOUND: { status: 404, code: 'not_found' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 500, code: 'internal' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_PARTS_LIMIT: { status: 413, code: 'payload_too_large' },
  FST_FILES_LIMIT: { status: 413, code: 'payload_too_large' },
  FST_FIELDS_LIMIT: { status: 413, code: 'payload_too_large' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'unsupported_media_type' },
};

const BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** The contract's error body for any error (AppError, validation, Fastify's, PostgreSQL's, ours). */
export function errorResponse(
  err: FastifyError | Error,
  lang: Lang,
): { status: number; body: ErrorBody; unexpected: boolean } {
  if (err instanceof AppError)
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message_(lang), details: err.details } },
      unexpected: false,
    };
  const e = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(e)) {
    // each issue: where, zod's code and its bounds/format beside the message (the web words it from those)
    const issues = e.validation.map((v: any) =>
      toValidationIssue(
        lang,
        {
          ...(v.params ?? {}),
          code: v.keyword,
          path: String(v.instancePath ?? '')
            .split('/')
            .filter(Boolean),
          message: v.message,
        },
        [e.validationContext ?? 'body'],
      ),
    );
    const summary = issueSummary(issues);
    return {
      status: 400,
      body: {
        error: { code: 'validation', message: t(lang, 'error.validation', { summary }), details: { issues } },
      },
      unexpected: false,
    };
  }
  const known = e.code ? FASTIFY_CODES[e.code] : undefined;
  if (known) return { status: known.status, body: body(lang, known.code), unexpected: known.status >= 500 };
  const sqlState = sqlStateOf(err);
  if (sqlState) {
    const refusal = pgRefusal(sqlState);
    if (refusal)
      return {
        status: refusal.status,
        body: {
          error: {
            code: refusal.code,
            message: t(lang, `error.${refusal.reason}`),
            details: refusal.reason === refusal.code ? {} : { reason: refusal.reason },
          },
        },
        unexpected: false,
      };
  }
  const status = e.statusCode;
  if (status && status >= 400 && status < 500)
    return { status, body: body(lang, BY_STATUS[status] ?? 'bad_request'), unexpected: false };
  if (e.name === 'AbortError' || e.code === 'ABORT_ERR')
    return { status: 503, body: body(lang, 'request_timeout'), unexpected: false };
  return { status: 500, body: body(lang, 'internal'), unexpected: true };
}

/**
 * For `Fastify({ frameworkErrors })`: errors Fastify raises before a route is found (a bad %-escape or an
 * unencoded byte in the path, an over-long parameter) leave in the contract's shape and language too.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const lang = langFrom(req.headers['accept-language']);
  const out = errorResponse(err, lang);
  reply.code(out.status).send(out.body);
}

/** For `Fastify({ clientErrorHandler })`: a request the HTTP parser rejects still gets our shape. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: import('node:net').Socket): void {
  if ((err as any).code === 'ECONNRESET' || !socket.writable) return;
  const payload = JSON.stringify(body('zh-CN', 'bad_request'));
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
  );
}

/** Every error leaves as {error: {code, message, details}} with the message in the caller's language. */
export function registerErrorHandler(app: FastifyInstance, opts: { notFound?: boolean } = {}): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const out = errorResponse(err, langFrom(req.headers['accept-language']));
    if (out.unexpected) req.log.error({ err }, 'unhandled error');
    else if (out.status === 503 || sqlStateOf(err)) req.log.warn({ err }, 'request refused');
    return reply.code(out.status).send(out.body);
  });
  // the web app sets its own (index.html for page paths); Fastify allows one not-found handler per prefix
  if (opts.notFound === false) return;
  app.setNotFoundHandler((req, reply) => {
    const lang = langFrom(req.headers['accept-language']);
    reply.code(404).send(body(lang, 'not_found'));
  });
}

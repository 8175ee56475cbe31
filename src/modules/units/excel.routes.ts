import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runCommand } from '../../floor/command.js';
import type { Ctx } from '../../floor/context.js';
import { AppError } from '../../floor/errors.js';
import type { App } from '../../floor/http.js';
import {
  exportUnits,
  exportUsers,
  importUnits,
  importUsers,
  unitTemplate,
  userTemplate,
} from './excel-import.js';
import { unitsPolicy, usersPolicy } from './policy.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendXlsx(reply: FastifyReply, buffer: Buffer, asciiName: string, name: string) {
  return reply
    .header('content-type', XLSX)
    .header(
      'content-disposition',
      `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .send(buffer);
}

/** The uploaded file of a multipart request (field name free), or the raw body sent as .xlsx. */
async function uploaded(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw new AppError(400, 'import_no_file');
  let file: Awaited<ReturnType<FastifyRequest['file']>>;
  try {
    file = await req.file();
  } catch (e: any) {
    if (e?.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'payload_too_large');
    throw new AppError(400, 'import_no_file');
  }
  if (!file) throw new AppError(400, 'import_no_file');
  try {
    return await file.toBuffer();
  } catch (e: any) {
    if (e?.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'payload_too_large');
    throw e;
  }
}

/** Import as one command: the file's hash stands for the body, so Idempotency-Key sees a different file. */
async function importCommand(
  req: FastifyRequest,
  reply: FastifyReply,
  fn: (ctx: Ctx, buffer: Buffer) => Promise<unknown>,
) {
  const buffer = await uploaded(req);
  (req as { body: unknown }).body = { fileSha256: createHash('sha256').update(buffer).digest('hex') };
  return runCommand(req, reply, 200, (ctx) => fn(ctx, buffer));
}

const doc = (policy: string, summary: string, description?: string) => ({
  config: { policy },
  schema: { tags: ['units'], summary, ...(description ? { description } : {}) },
});

export function registerExcelRoutes(app: App): void {
  app.get(
    '/api/units/export.xlsx',
    doc(unitsPolicy.ref('export'), '导出单位（Excel） / export units of the caller’s subtree'),
    async (req, reply) => sendXlsx(reply, await exportUnits(req.ctx), 'units.xlsx', '单位.xlsx'),
  );
  app.get(
    '/api/units/import-template.xlsx',
    doc(unitsPolicy.ref('import'), '单位导入模板 / units import template'),
    async (_req, reply) => sendXlsx(reply, await unitTemplate(), 'units-template.xlsx', '单位导入模板.xlsx'),
  );
  app.post(
    '/api/units/import',
    doc(
      unitsPolicy.ref('import'),
      '导入单位（Excel，multipart 文件） / import units from an .xlsx file (admin)',
      '列：名称、类型、级别、上级单位、行政区划代码、值班电话、传真。先逐行校验，有错则 422 import_invalid，details.errors=[{row,column,message}]，不导入任何内容；全部正确则在一个事务中导入。→ {rows, created, updated, unchanged}',
    ),
    async (req, reply) => importCommand(req, reply, importUnits),
  );
  app.get(
    '/api/users/export.xlsx',
    doc(usersPolicy.ref('export'), '导出用户（Excel） / export users of the caller’s subtree'),
    async (req, reply) => sendXlsx(reply, await exportUsers(req.ctx), 'users.xlsx', '用户.xlsx'),
  );
  app.get(
    '/api/users/import-template.xlsx',
    doc(usersPolicy.ref('import'), '用户导入模板 / users import template'),
    async (_req, reply) => sendXlsx(reply, await userTemplate(), 'users-template.xlsx', '用户导入模板.xlsx'),
  );
  app.post(
    '/api/users/import',
    doc(
      usersPolicy.ref('import'),
      '导入用户（Excel，multipart 文件） / import users from an .xlsx file (admin)',
      '列：用户名、姓名、所属单位、角色（用“、”分隔）、初始密码、手机、邮箱、信息员类型。校验规则同单位导入。→ {rows, created, updated, unchanged}',
    ),
    async (req, reply) => importCommand(req, reply, importUsers),
  );
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { runCommand } from '../../floor/command.js';
import type { UserCtx } from '../../floor/context.js';

/** `runCommand` for a signed-in route with a response schema: the answer is sent by runCommand itself. */
export async function command<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  fn: (ctx: UserCtx) => Promise<T>,
): Promise<void> {
  await runCommand(req, reply, status, (c) => fn(c as UserCtx));
}

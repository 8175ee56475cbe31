import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import { badRequest, notFound } from '../../floor/errors.js';
import { requiredText } from '../../floor/floor.schema.js';
import type { App } from '../../floor/http.js';
import { type Lang, registerMessages, t } from '../../floor/i18n.js';
import { can } from '../../floor/policy.js';
import {
  currentRuleSet,
  getRuleSet,
  isRuleKind,
  listRuleSetVersions,
  type RuleKind,
  saveRuleSet,
} from '../../floor/rule-sets.js';
import { issueSummary, toValidationIssue, type ValidationIssue } from '../../floor/validation.js';
import { rulesPolicy } from './policy.js';

registerMessages(
  {
    'error.bad_rule_set': '规则内容不正确：{summary}',
    'error.rule_set_missing': '没有“{kind}”这类规则。',
    'validation.rows_overlap': '时限表有重叠的行：{from} {level}',
    'validation.ungraded': '未分级',
  },
  {
    'error.bad_rule_set': 'The rule set is not valid: {summary}',
    'error.rule_set_missing': 'There is no rule set of kind "{kind}".',
    'validation.rows_overlap': 'rows of the time-limit table overlap: {from} {level}',
    'validation.ungraded': 'ungraded',
  },
);

/** How deeply a JSON value nests, counted without recursion (a hostile body cannot exhaust the stack). */
export function jsonDepth(v: unknown, limit = 32): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    max = Math.max(max, d);
    if (max > limit) return max;
    for (const c of Object.values(x as object)) stack.push([c, d + 1]);
  }
  return max;
}

/** An unknown kind is a 404 (a resource that does not exist), not a validation error. */
function kindOf(kind: string): RuleKind {
  if (!isRuleKind(kind)) throw notFound('rule_set_missing', { kind: kind.slice(0, 40) });
  return kind;
}

const ruleId = z.enum([
  'statutory',
  'serious',
  'mass_incident',
  'special_persons',
  'sensitive',
  'may_escalate',
  'requested',
]);
const subClass = z.string().regex(/^1[1-4][A-Z0-9]00$/);
const mmdd = z.string().regex(/^(\d{4}-)?\d{2}-\d{2}$/);
const levelOrNull = z.enum(['I', 'II', 'III', 'IV']).nullable();
const minutes = z
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 60)
  .nullable();

const points = z.number().min(-1000).max(1000);

/** What a valid body of each kind looks like (kinds owned by other modules may register their own). */
export const ruleSetSchemas = new Map<string, z.ZodTypeAny>([
  [
    'must_report',
    z.object({
      rules: z
        .array(
          z.object({ id: ruleId, name: requiredText(200), nameEn: requiredText(200), enabled: z.boolean() }),
        )
        .min(1),
      seriousSubclasses: z.array(subClass),
      seriousWithCasualties: z.array(subClass),
      sensitivePlaces: z.array(requiredText(50)).max(500),
      sensitivePeriods: z.array(z.object({ name: requiredText(50), from: mmdd, to: mmdd })).max(200),
    }),
  ],
  [
    'timeliness',
    z.object({
      rows: z
        .array(
          z.object({
            key: requiredText(40),
            name: requiredText(100),
            from: z
              .array(
                z.enum([
                  'township',
                  'county',
                  'city',
                  'province',
                  'department',
                  'emergency_office',
                  'enterprise',
                ]),
              )
              .min(1),
            levels: z.array(levelOrNull).min(1),
            categories: z.array(z.string().regex(/^1[1-4]?[A-Z0-9]{0,3}$/)).optional(),
            phoneMinutes: minutes,
            writtenMinutes: minutes,
            basis: z.enum(['occurrence', 'arrival']).optional(),
          }),
        )
        .min(1),
      missedAfterMinutes: z
        .number()
        .int()
        .min(60)
        .max(7 * 24 * 60),
      reminderFractions: z.array(z.number().gt(0).lt(1)).max(5),
      followUpMinutes: z.object({
        I: z.number().int().min(10),
        II: z.number().int().min(10),
        III: z.number().int().min(10),
        activeResponse: z.number().int().min(10),
      }),
      supplementDays: z.object({
        default: z.number().int().min(1),
        roadTrafficAndFire: z.number().int().min(1),
      }),
      keyItemsCheckMinutes: z.number().int().min(60),
    }),
  ],
  [
    'responsible_departments',
    z.object({
      rows: z.array(
        z.object({
          name: requiredText(100),
          categories: z.array(z.string().max(5)).optional(),
          flags: z.array(z.string().max(40)).optional(),
          departmentType: requiredText(40),
        }),
      ),
    }),
  ],
  [
    'scoring',
    z.object({
      adoption: z.object({
        own_daily: points,
        own_short: points,
        city_daily: points,
        city_short: points,
        city_special: points,
        province_bulletin: points,
        province_special: points,
        centre_forwarded: points,
        centre_adopted: points,
      }),
      instruction: z.object({ county: points, city: points, province: points, centre: points }),
      commission: z.object({ late: points, missed: points }),
    }),
  ],
]);

/** Rows of the time-limit table must not overlap: one row per (from, level, category set). */
function checkTimelinessOverlap(lang: Lang, body: any) {
  const seen = new Set<string>();
  body.rows.forEach((r: any, row: number) => {
    for (const f of r.from)
      for (const l of r.levels) {
        const k = `${f}|${l}|${(r.categories ?? []).slice().sort().join(',')}`;
        if (seen.has(k)) {
          const message = t(lang, 'validation.rows_overlap', {
            from: f,
            level: l ?? t(lang, 'validation.ungraded'),
          });
          throw badRequest('bad_rule_set', {
            summary: message,
            issues: [
              { path: `rows.${row}`, code: 'custom', message, handwritten: true } satisfies ValidationIssue,
            ],
          });
        }
        seen.add(k);
      }
  });
}

export function registerRuleSetRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const params = z.object({ kind: z.string().max(100) });
  r.get(
    '/api/rule-sets/:kind',
    {
      config: { policy: rulesPolicy.ref('read') },
      schema: { tags: ['rules'], summary: '现行规则 / the rule set in force', params },
    },
    async (req) => {
      const rs = await currentRuleSet(req.ctx.tx, kindOf(req.params.kind));
      // whether the caller may save a new version (the editor the web shows)
      return { ...rs, can: { save: can(req.ctx.actor, rulesPolicy, 'save') } };
    },
  );
  r.get(
    '/api/rule-sets/:kind/versions',
    { config: { policy: rulesPolicy.ref('read') }, schema: { tags: ['rules'], params } },
    async (req) => ({
      items: await listRuleSetVersions(req.ctx.tx, kindOf(req.params.kind)),
      nextCursor: null,
    }),
  );
  r.get(
    '/api/rule-sets/:kind/:version',
    {
      config: { policy: rulesPolicy.ref('read') },
      schema: { tags: ['rules'], params: params.extend({ version: z.coerce.number().int().min(1) }) },
    },
    async (req) => {
      try {
        return await getRuleSet(req.ctx.tx, kindOf(req.params.kind), req.params.version);
      } catch {
        throw notFound();
      }
    },
  );
  r.put(
    '/api/rule-sets/:kind',
    {
      config: { policy: rulesPolicy.ref('save') },
      schema: {
        tags: ['rules'],
        summary: '保存为新版本（管理员）/ save as a new version (admin)',
        params,
        body: z.object({ body: z.record(z.string(), z.unknown()), note: z.string().max(500).nullish() }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) => {
        const kind = kindOf(req.params.kind);
        const schema = ruleSetSchemas.get(kind);
        let body: unknown = req.body.body;
        if (jsonDepth(body) > 32) throw badRequest('bad_rule_set', { summary: 'nested too deeply' });
        if (schema) {
          const parsed = schema.safeParse(body);
          if (!parsed.success) {
            const issues = parsed.error.issues.map((i) => toValidationIssue(ctx.lang, i));
            throw badRequest('bad_rule_set', { summary: issueSummary(issues), issues });
          }
          body = parsed.data;
        }
        if (req.params.kind === 'timeliness') checkTimelinessOverlap(ctx.lang, body);
        return saveRuleSet(ctx, kindOf(req.params.kind), body, req.body.note ?? null);
      }),
  );
}

/**
 * One refused field of a request, as the server sends it in `error.details.issues` of a 400 `validation`
 * (and of a 400 `bad_rule_set`). Shared by the server and the web app (plain types, no imports).
 *
 * `message` is already in the caller's language; the other fields let a client say it its own way:
 * `code` is zod's issue code, with the bounds and formats zod gives for it.
 */
export interface ValidationIssue {
  /** Where: `body.rows.0.limitMinutes`, `query.from`, `params.id` (rule-set bodies: `rows.0.limitMinutes`). */
  path: string;
  /**
   * `too_small` · `too_big` (with `minimum`/`maximum`, `inclusive`, `origin`) · `invalid_type` (`expected`) ·
   * `invalid_format` (`format`: `email`, `uuid`, `regex`, `datetime` …) · `invalid_value` (`values`) ·
   * `unrecognized_keys` (`keys`) · `not_multiple_of` (`divisor`) · `invalid_union` · `custom` (a rule of ours).
   */
  code: string;
  message: string;
  /** For too_small: the bound (a length for strings, a count for arrays, the number itself for numbers). */
  minimum?: number;
  /** For too_big. */
  maximum?: number;
  /** Whether the bound itself is allowed (`>=` rather than `>`). */
  inclusive?: boolean;
  /** What was measured: `string`, `number`, `int`, `bigint`, `array`, `set`, `date`, `file`. */
  origin?: string;
  /** For invalid_type: the type wanted (`string`, `number`, `int`, `object`, `array` …). */
  expected?: string;
  /** For invalid_format. */
  format?: string;
  /** For invalid_value: the allowed values. */
  values?: Array<string | number | boolean | null>;
  /** For unrecognized_keys. */
  keys?: string[];
  /** For not_multiple_of. */
  divisor?: number;
  /** The schema wrote this message itself (a rule of ours): show `message`, not a text built from `code`. */
  handwritten?: boolean;
}

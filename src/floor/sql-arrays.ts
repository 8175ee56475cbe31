import { type SQL, sql } from 'drizzle-orm';

/**
 * One statement parameter holding a whole array (`= any(...)`, `unnest(...)`): the driver sends it as one
 * PostgreSQL array, escaped by the driver — not a list of thousands of parameters, and never text pasted into
 * the SQL. Cast it where it is used: `${arrayParam(ids)}::uuid[]`.
 */
export function arrayParam(values: readonly unknown[]): SQL {
  return sql`${sql.param([...values])}`;
}

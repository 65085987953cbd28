/** One listing condition: the column equals one of the values. Conditions combine with AND. */
export interface ListCondition<C extends string = string> {
  column: C;
  values: string[];
}

export interface NewestFirstQuery {
  /** Conditions every row must meet, `column = value`. */
  fixed: Record<string, string>;
  conditions: ListCondition[];
  /** Only rows older than this position (a paging marker). */
  beforeSeq?: string;
  limit: number;
}

/**
 * `WHERE … ORDER BY seq DESC LIMIT …` over a table with a bigint `seq`, values as parameters. Column
 * names come from the code, never from a caller. Ordered by the table's own column: a selected text
 * alias of the same name would put 9 after 10.
 */
export function newestFirst(table: string, query: NewestFirstQuery): { clause: string; values: unknown[] } {
  const values: unknown[] = [];
  const where: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  for (const [column, value] of Object.entries(query.fixed)) add((p) => `${column} = ${p}`, value);
  for (const condition of query.conditions) add((p) => `${condition.column} = ANY(${p})`, condition.values);
  if (query.beforeSeq !== undefined) add((p) => `seq < ${p}`, query.beforeSeq);
  values.push(query.limit);
  return {
    clause: `WHERE ${where.join(' AND ')} ORDER BY ${table}.seq DESC LIMIT $${values.length}`,
    values,
  };
}

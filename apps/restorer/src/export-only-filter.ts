/** A database, schema and table as ExportOnly items name them. */
export interface ExportOnlyPath {
  database: string;
  schema: string;
  table: string;
}

/**
 * ExportOnly as RDS reads it: `database`, `database.schema` or `database.schema.table`
 * (MySQL: `database` or `database.table`). An empty list exports everything.
 */
export class ExportOnlyFilter {
  private readonly items: { text: string; parts: string[] }[];

  constructor(
    exportOnly: readonly string[],
    private readonly hasSchemas: boolean,
  ) {
    this.items = exportOnly.map((text) => ({ text, parts: text.split('.') }));
  }

  get isFull(): boolean {
    return this.items.length === 0;
  }

  includesDatabase(database: string): boolean {
    return this.isFull || this.items.some(({ parts: [db] }) => db === database);
  }

  includesTable(database: string, schema: string, table: string): boolean {
    if (this.isFull) return true;
    return this.items.some(({ parts }) => this.matches(parts, { database, schema, table }));
  }

  /**
   * Items that name nothing the source holds (a missing or differently-cased database, schema or
   * table): a database item needs the database, the others something listed under them.
   */
  unmatchedItems(databases: readonly string[], listed: readonly ExportOnlyPath[]): string[] {
    return this.items
      .filter(({ parts }) =>
        parts.length === 1
          ? !databases.includes(parts[0])
          : !listed.some((path) => this.matches(parts, path)),
      )
      .map(({ text }) => text);
  }

  private matches(parts: string[], { database, schema, table }: ExportOnlyPath): boolean {
    const path = this.hasSchemas ? [database, schema, table] : [database, table];
    return parts.every((part, index) => part === path[index]);
  }
}

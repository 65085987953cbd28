/**
 * ExportOnly as RDS reads it: `database`, `database.schema` or `database.schema.table`
 * (MySQL: `database` or `database.table`). An empty list exports everything.
 */
export class ExportOnlyFilter {
  private readonly items: string[][];

  constructor(
    exportOnly: readonly string[],
    private readonly hasSchemas: boolean,
  ) {
    this.items = exportOnly.map((item) => item.split('.'));
  }

  get isFull(): boolean {
    return this.items.length === 0;
  }

  includesDatabase(database: string): boolean {
    return this.isFull || this.items.some(([db]) => db === database);
  }

  includesTable(database: string, schema: string, table: string): boolean {
    if (this.isFull) return true;
    const path = this.hasSchemas ? [database, schema, table] : [database, table];
    return this.items.some((item) => item.every((part, index) => part === path[index]));
  }
}

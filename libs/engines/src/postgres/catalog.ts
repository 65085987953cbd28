import { TypeMode } from '@snapex/contracts';
import { DiscoveredTable, UnexportedObject, UnexportedObjectKind } from '../engine';
import { CatalogColumn, columnPlanFor } from './pg-types';
import { PgSession } from './pg-session';

/**
 * Ordinary tables only: partitions are ordinary tables and are exported one by one, so their
 * partitioned parents (relkind 'p') would export nothing; views, foreign and TOAST tables are left out.
 */
const TABLES_SQL = `
  SELECT c.oid::text AS table_oid,
         n.nspname AS schema_name,
         c.relname AS table_name,
         c.relpersistence AS persistence,
         coalesce(has_table_privilege(current_user, c.oid, 'SELECT'), false) AS readable,
         coalesce(pg_table_size(c.oid), 0)::text AS table_bytes
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r'
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\\_toast%'
   ORDER BY n.nspname, c.relname`;

const COLUMNS_SQL = `
  SELECT a.attrelid::text AS table_oid,
         a.attname AS column_name,
         a.atttypid AS type_oid,
         format_type(a.atttypid, a.atttypmod) AS formatted_type,
         CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END AS base_type_oid,
         CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS base_typmod,
         b.typtype = 'd' AS base_is_domain,
         CASE WHEN b.typcategory = 'A' AND b.typlen = -1 THEN b.typelem ELSE 0 END AS base_element_oid,
         EXISTS (SELECT 1 FROM pg_catalog.pg_cast k
                  WHERE k.castsource = b.oid AND k.casttarget = 'pg_catalog.text'::pg_catalog.regtype
                ) AS base_casts_to_text
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
    JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE a.attnum > 0
     AND NOT a.attisdropped
     AND c.relkind = 'r'
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\\_toast%'
   ORDER BY a.attrelid, a.attnum`;

/**
 * Relations that hold no rows an export reads. A sequence owned by a column (serial, identity) is
 * part of its table, whose column values are exported, so only free-standing sequences are listed.
 */
const UNEXPORTED_SQL = `
  SELECT n.nspname AS schema_name,
         c.relname AS object_name,
         c.relkind AS relkind,
         CASE WHEN c.relkind = 'p' THEN (
           SELECT coalesce(json_agg(json_build_object('schema', ln.nspname, 'table', l.relname)
                                    ORDER BY ln.nspname, l.relname), '[]')
             FROM pg_catalog.pg_partition_tree(c.oid) tree
             JOIN pg_catalog.pg_class l ON l.oid = tree.relid
             JOIN pg_catalog.pg_namespace ln ON ln.oid = l.relnamespace
            WHERE tree.isleaf AND l.relkind = 'r'
         ) ELSE '[]' END AS partitions
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('v', 'm', 'S', 'f', 'p')
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\\_toast%'
     AND NOT (c.relkind = 'S' AND EXISTS (
           SELECT 1 FROM pg_catalog.pg_depend d
            WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
              AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')))
   ORDER BY n.nspname, c.relname`;

const UNEXPORTED_KINDS: Record<string, UnexportedObjectKind> = {
  v: 'VIEW',
  m: 'MATERIALIZED_VIEW',
  S: 'SEQUENCE',
  f: 'FOREIGN_TABLE',
  p: 'PARTITIONED_TABLE',
};

interface UnexportedRow {
  schema_name: string;
  object_name: string;
  relkind: string;
  partitions: { schema: string; table: string }[];
}

interface TableRow {
  table_oid: string;
  schema_name: string;
  table_name: string;
  persistence: 'p' | 'u' | 't';
  readable: boolean;
  table_bytes: string;
}

interface ColumnRow {
  table_oid: string;
  column_name: string;
  type_oid: number;
  formatted_type: string;
  base_type_oid: number;
  base_typmod: number;
  base_is_domain: boolean;
  base_element_oid: number;
  base_casts_to_text: boolean;
}

const PERSISTENCE: Record<TableRow['persistence'], DiscoveredTable['persistence']> = {
  p: 'permanent',
  u: 'unlogged',
  t: 'temporary',
};

function catalogColumn(row: ColumnRow): CatalogColumn {
  return {
    name: row.column_name,
    typeOid: row.type_oid,
    formattedType: row.formatted_type,
    baseTypeOid: row.base_type_oid,
    baseTypmod: row.base_typmod,
    baseIsDomain: row.base_is_domain,
    baseElementOid: row.base_element_oid,
    baseCastsToText: row.base_casts_to_text,
  };
}

function groupByTable(rows: ColumnRow[]): Map<string, CatalogColumn[]> {
  const byTable = new Map<string, CatalogColumn[]>();
  for (const row of rows) {
    const columns = byTable.get(row.table_oid) ?? [];
    columns.push(catalogColumn(row));
    byTable.set(row.table_oid, columns);
  }
  return byTable;
}

/** The tables of one database, and what it holds besides, as the session's snapshot sees them. */
export class PostgresCatalog {
  constructor(private readonly session: PgSession) {}

  async tables(typeMode: TypeMode = 'aws'): Promise<DiscoveredTable[]> {
    const tables = await this.session.query<TableRow>(TABLES_SQL);
    const columnsByTable = groupByTable(await this.session.query<ColumnRow>(COLUMNS_SQL));
    return tables.map((table) => ({
      schema: table.schema_name,
      table: table.table_name,
      columns: (columnsByTable.get(table.table_oid) ?? []).map((column) => columnPlanFor(column, typeMode)),
      estimatedBytes: Number(table.table_bytes),
      persistence: PERSISTENCE[table.persistence],
      readable: table.readable,
    }));
  }

  async unexportedObjects(): Promise<UnexportedObject[]> {
    const rows = await this.session.query<UnexportedRow>(UNEXPORTED_SQL);
    return rows.map((row) => ({
      schema: row.schema_name,
      name: row.object_name,
      kind: UNEXPORTED_KINDS[row.relkind],
      partitions: row.partitions,
    }));
  }
}

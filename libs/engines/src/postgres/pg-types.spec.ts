import { CatalogColumn, columnPlanFor, PG_TYPE } from './pg-types';

/** A few OIDs of types without a native mapping, as in a stock PostgreSQL 15 catalog. */
const OTHER_TYPES = {
  text: 25,
  oid: 26,
  json: 114,
  xml: 142,
  money: 790,
  name: 19,
  int4Array: 1007,
  uuid: 2950,
  jsonb: 3802,
  int4range: 3904,
  userEnum: 16_400,
  userDomainOverInt4: 16_410,
  userComposite: 16_420,
} as const;

function column(
  typeOid: number,
  formattedType: string,
  overrides: Partial<CatalogColumn> = {},
): CatalogColumn {
  return {
    name: 'c',
    typeOid,
    formattedType,
    baseTypeOid: typeOid,
    baseTypmod: -1,
    baseIsDomain: false,
    baseCastsToText: false,
    ...overrides,
  };
}

describe('columnPlanFor', () => {
  it.each([
    [PG_TYPE.int8, 'bigint', 'int8', 'INT64', 'int64'],
    [PG_TYPE.int4, 'integer', 'int4', 'INT32', 'int32'],
    [PG_TYPE.int2, 'smallint', 'int2', 'INT16', 'int32 (INT_16)'],
    [PG_TYPE.float8, 'double precision', 'float8', 'DOUBLE', 'double'],
    [PG_TYPE.float4, 'real', 'float4', 'FLOAT', 'float'],
    [PG_TYPE.bool, 'boolean', 'bool', 'BOOLEAN', 'boolean'],
    [PG_TYPE.bytea, 'bytea', 'bytea', 'BINARY', 'binary'],
  ])('keeps %s (%s) native', (typeOid, formatted, decoder, parquetType, exported) => {
    expect(columnPlanFor(column(typeOid, formatted))).toMatchObject({
      originalType: formatted,
      decoder,
      parquetType,
      expectedExportedType: exported,
    });
  });

  it.each([
    [PG_TYPE.numeric, 'numeric(12,2)'],
    [OTHER_TYPES.money, 'money'],
    [OTHER_TYPES.text, 'text'],
    [PG_TYPE.varchar, 'character varying(20)'],
    [PG_TYPE.bpchar, 'character(3)'],
    [OTHER_TYPES.name, 'name'],
    [OTHER_TYPES.userEnum, 'mood'],
    [OTHER_TYPES.int4Array, 'integer[]'],
    [OTHER_TYPES.json, 'json'],
    [OTHER_TYPES.jsonb, 'jsonb'],
    [OTHER_TYPES.xml, 'xml'],
    [PG_TYPE.date, 'date'],
    [PG_TYPE.timestamptz, 'timestamp with time zone'],
    [PG_TYPE.interval, 'interval'],
    [OTHER_TYPES.uuid, 'uuid'],
    [PG_TYPE.bit, 'bit(3)'],
    [OTHER_TYPES.int4range, 'int4range'],
    [OTHER_TYPES.userComposite, 'address'],
    [OTHER_TYPES.oid, 'oid'],
  ])('exports %s (%s) as PostgreSQL text', (typeOid, formatted) => {
    expect(columnPlanFor(column(typeOid, formatted))).toMatchObject({
      parquetType: 'STRING',
      expectedExportedType: 'binary (UTF8)',
    });
  });

  it.each([
    ['text', column(OTHER_TYPES.text, 'text'), 'text'],
    ['varchar', column(PG_TYPE.varchar, 'character varying(20)'), 'text'],
    ['char(n), padding and all', column(PG_TYPE.bpchar, 'character(3)', { baseCastsToText: true }), 'text'],
    ['name', column(OTHER_TYPES.name, 'name', { baseCastsToText: true }), 'text'],
    ['a domain over char(n)', column(16_500, 'code', { baseTypeOid: PG_TYPE.bpchar }), 'text'],
    ['numeric', column(PG_TYPE.numeric, 'numeric'), 'text_cast'],
    ['an array', column(OTHER_TYPES.int4Array, 'integer[]'), 'text_cast'],
    ['an enum', column(OTHER_TYPES.userEnum, 'mood'), 'text_cast'],
    ['a domain over integer', column(16_410, 'positive_int', { baseTypeOid: PG_TYPE.int4 }), 'text_cast'],
    [
      'xml, whose text cast keeps the XML declaration the output function drops',
      column(OTHER_TYPES.xml, 'xml', { baseCastsToText: true }),
      'text_cast',
    ],
    [
      'a domain over xml',
      column(16_800, 'doc', { baseTypeOid: OTHER_TYPES.xml, baseCastsToText: true }),
      'text_cast',
    ],
    ['a domain over inet', column(16_600, 'ip', { baseTypeOid: 869, baseCastsToText: true }), 'text_output'],
    [
      'a domain over a domain',
      column(16_700, 'ip2', { baseTypeOid: 16_600, baseIsDomain: true }),
      'text_output',
    ],
  ])('selects %s for its text output with decoder %s', (_, catalogColumn, decoder) => {
    expect(columnPlanFor(catalogColumn).decoder).toBe(decoder);
  });

  it('exports a domain as text even when its base type is an integer', () => {
    const domain = column(OTHER_TYPES.userDomainOverInt4, 'positive_int', { baseTypeOid: PG_TYPE.int4 });
    expect(columnPlanFor(domain)).toMatchObject({ parquetType: 'STRING', originalNumPrecision: 32 });
  });

  it('reports character lengths of char, varchar and bit strings', () => {
    const lengthOf = (typeOid: number, typmod: number) =>
      columnPlanFor(column(typeOid, 't', { baseTypmod: typmod })).originalCharMaxLength;
    expect(lengthOf(PG_TYPE.varchar, 24)).toBe(20);
    expect(lengthOf(PG_TYPE.bpchar, 7)).toBe(3);
    expect(lengthOf(PG_TYPE.bit, 3)).toBe(3);
    expect(lengthOf(PG_TYPE.varbit, 10)).toBe(10);
    expect(lengthOf(PG_TYPE.varchar, -1)).toBe(0);
    expect(lengthOf(OTHER_TYPES.text, -1)).toBe(0);
  });

  it('reports numeric precision as information_schema does', () => {
    const precisionOf = (typeOid: number, typmod = -1) =>
      columnPlanFor(column(typeOid, 't', { baseTypmod: typmod })).originalNumPrecision;
    const numeric12x2 = ((12 << 16) | 2) + 4;
    expect(precisionOf(PG_TYPE.numeric, numeric12x2)).toBe(12);
    expect(precisionOf(PG_TYPE.numeric)).toBe(0);
    expect(precisionOf(PG_TYPE.int2)).toBe(16);
    expect(precisionOf(PG_TYPE.int4)).toBe(32);
    expect(precisionOf(PG_TYPE.int8)).toBe(64);
    expect(precisionOf(PG_TYPE.float4)).toBe(24);
    expect(precisionOf(PG_TYPE.float8)).toBe(53);
    expect(precisionOf(OTHER_TYPES.money)).toBe(0);
  });

  it('reports fractional-second precision of dates, times and intervals', () => {
    const precisionOf = (typeOid: number, typmod = -1) =>
      columnPlanFor(column(typeOid, 't', { baseTypmod: typmod })).originalDateTimePrecision;
    expect(precisionOf(PG_TYPE.date)).toBe(0);
    expect(precisionOf(PG_TYPE.timestamptz)).toBe(6);
    expect(precisionOf(PG_TYPE.timestamp, 3)).toBe(3);
    expect(precisionOf(PG_TYPE.time, 0)).toBe(0);
    expect(precisionOf(PG_TYPE.timetz)).toBe(6);
    expect(precisionOf(PG_TYPE.interval)).toBe(6);
    expect(precisionOf(PG_TYPE.interval, 0x7fff0002)).toBe(2);
    expect(precisionOf(OTHER_TYPES.text)).toBe(0);
  });
});

describe('columnPlanFor in native types mode', () => {
  /** numeric(p,s)'s atttypmod. */
  const numericTypmod = (precision: number, scale: number) => ((precision << 16) | scale) + 4;

  it.each([
    [PG_TYPE.date, 'date', 'date', 'DATE', 'int32 (DATE)'],
    [PG_TYPE.time, 'time without time zone', 'time', 'TIME_MICROS', 'int64 (TIME(MICROS,false))'],
    [
      PG_TYPE.timestamp,
      'timestamp without time zone',
      'timestamp',
      'TIMESTAMP_MICROS_LOCAL',
      'int64 (TIMESTAMP(MICROS,false))',
    ],
    [
      PG_TYPE.timestamptz,
      'timestamp with time zone',
      'timestamp',
      'TIMESTAMP_MICROS',
      'int64 (TIMESTAMP_MICROS)',
    ],
    [OTHER_TYPES.uuid, 'uuid', 'uuid', 'UUID', 'fixed_len_byte_array(16) (UUID)'],
    [OTHER_TYPES.json, 'json', 'text_cast', 'JSON', 'binary (JSON)'],
    [OTHER_TYPES.jsonb, 'jsonb', 'text_cast', 'JSON', 'binary (JSON)'],
  ])('maps %s (%s) to its logical type', (typeOid, formatted, decoder, parquetType, exported) => {
    expect(columnPlanFor(column(typeOid, formatted), 'native')).toMatchObject({
      decoder,
      parquetType,
      expectedExportedType: exported,
    });
  });

  it('makes a numeric of at most 38 digits a DECIMAL, and keeps wider or unconstrained ones text', () => {
    const numeric = (typmod: number) =>
      columnPlanFor(column(PG_TYPE.numeric, 'numeric', { baseTypmod: typmod }), 'native');
    expect(numeric(numericTypmod(12, 2))).toMatchObject({
      decoder: 'numeric',
      parquetType: 'DECIMAL',
      decimal: { precision: 12, scale: 2 },
      expectedExportedType: 'int64 (DECIMAL(12,2))',
    });
    expect(numeric(numericTypmod(38, 0)).parquetType).toBe('DECIMAL');
    expect(numeric(numericTypmod(39, 0)).parquetType).toBe('STRING');
    expect(numeric(-1).parquetType).toBe('STRING');
  });

  it('reads a domain as its base type, but not a domain over a domain', () => {
    const overDate = { typeOid: OTHER_TYPES.userDomainOverInt4, baseTypeOid: PG_TYPE.date };
    expect(columnPlanFor(column(0, 'birthday', overDate), 'native').parquetType).toBe('DATE');
    const nested = { ...overDate, baseIsDomain: true };
    expect(columnPlanFor(column(0, 'birthday', nested), 'native').parquetType).toBe('STRING');
  });

  it('makes an array of a scalar type a LIST of it, and keeps other arrays text', () => {
    const array = (elementOid: number) =>
      columnPlanFor(column(OTHER_TYPES.int4Array, 'x[]', { baseElementOid: elementOid }), 'native');
    expect(array(PG_TYPE.int4)).toMatchObject({
      decoder: 'list',
      parquetType: 'LIST',
      element: { parquetType: 'INT32' },
      expectedExportedType: 'list<int32>',
    });
    expect(array(PG_TYPE.timestamptz).element).toEqual({ parquetType: 'TIMESTAMP_MICROS' });
    expect(array(PG_TYPE.varchar).element).toEqual({ parquetType: 'STRING' });
    expect(array(PG_TYPE.numeric).parquetType).toBe('STRING');
    expect(array(OTHER_TYPES.uuid).parquetType).toBe('STRING');
  });

  it('leaves every other type as the AWS mode maps it', () => {
    for (const [typeOid, formatted] of [
      [PG_TYPE.interval, 'interval'],
      [PG_TYPE.timetz, 'time with time zone'],
      [OTHER_TYPES.int4Array, 'integer[]'],
      [OTHER_TYPES.money, 'money'],
    ] as const) {
      expect(columnPlanFor(column(typeOid, formatted), 'native')).toEqual(
        columnPlanFor(column(typeOid, formatted)),
      );
    }
  });
});

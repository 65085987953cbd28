import { Message } from 'apache-arrow';
import { carriedDecimalPrecision, declaredArrowSchemaFor } from './arrow-batch';
import { format, topLevelElements } from './parquet-thrift';
import { PartColumn } from './part-encoder';

/** The key under which arrow-rs keeps the Arrow schema in the footer. */
const ARROW_SCHEMA_KEY = 'ARROW:schema';

/**
 * The ARROW:schema value as arrow-rs writes it: base64 of the IPC continuation marker, the schema
 * message's length (little endian) and the message.
 */
function encodedArrowSchema(columns: readonly PartColumn[]): string {
  const message = Message.encode(Message.from(declaredArrowSchemaFor(columns)));
  const prefix = Buffer.alloc(8);
  prefix.writeInt32LE(-1, 0);
  prefix.writeUInt32LE(message.length, 4);
  return Buffer.concat([prefix, message]).toString('base64');
}

/**
 * What gives a footer written from `columns` back the precision of each DECIMAL that was handed to
 * arrow-rs with another (carriedDecimalPrecision): its schema element, its logical type and the
 * ARROW:schema entry. Null when every DECIMAL was handed over as it is.
 */
export function declaredDecimals(
  columns: readonly PartColumn[],
): ((metadata: format.FileMetaData) => void) | null {
  const carried = columns.flatMap((column, index) =>
    column.parquetType === 'DECIMAL' &&
    column.decimal &&
    carriedDecimalPrecision(column.decimal.precision) !== column.decimal.precision
      ? [{ index, precision: column.decimal.precision }]
      : [],
  );
  if (carried.length === 0) return null;
  const arrowSchema = encodedArrowSchema(columns);
  return (metadata) => {
    const elements = topLevelElements(metadata.schema);
    for (const { index, precision } of carried) {
      const element = elements[index];
      element.precision = precision;
      if (element.logicalType?.DECIMAL) element.logicalType.DECIMAL.precision = precision;
    }
    for (const entry of metadata.key_value_metadata ?? [])
      if (entry.key === ARROW_SCHEMA_KEY) entry.value = arrowSchema;
  };
}

import { InvalidKeyBoundError, partitionSelect, quoteIdentifier, rangeConditions } from './my-sql';

describe('MySQL statements', () => {
  it('quotes identifiers in backticks, doubling backticks inside', () => {
    expect(quoteIdentifier('plain')).toBe('`plain`');
    expect(quoteIdentifier('we`ird "name\'')).toBe('`we``ird "name\'`');
    expect(quoteIdentifier('ü $ select')).toBe('`ü $ select`');
  });

  it('selects every column of one key range, spatial values as bytes', () => {
    expect(
      partitionSelect(
        'shop',
        'or`ders',
        [
          { name: 'id', decoder: 'bigint' },
          { name: 'where', decoder: 'geometry' },
        ],
        { column: 'id', constraintType: 'PRIMARY_KEY', lower: '-5', upper: '18446744073709551615' },
      ),
    ).toBe(
      'SELECT `id`, CONCAT(`where`) FROM `shop`.`or``ders` WHERE `id` >= -5 AND `id` < 18446744073709551615',
    );
    expect(rangeConditions({ column: 'id', constraintType: 'PRIMARY_KEY', lower: null, upper: null })).toBe(
      '',
    );
    expect(rangeConditions(null)).toBe('');
  });

  it('selects a FLOAT as the DOUBLE holding it exactly, a negative zero as text', () => {
    expect(partitionSelect('d', 't', [{ name: 'f', decoder: 'float' }], null)).toBe(
      "SELECT CASE WHEN `f` = 0 AND ATAN2(`f`, -1) < 0 THEN '-0' ELSE CAST(`f` AS DOUBLE) END FROM `d`.`t`",
    );
  });

  it('refuses a bound that is not an integer instead of splicing it', () => {
    expect(() =>
      rangeConditions({ column: 'id', constraintType: 'PRIMARY_KEY', lower: '1 OR 1=1', upper: null }),
    ).toThrow(InvalidKeyBoundError);
  });
});

import { nulledValuesMessage, nulledValuesWarning } from './nulled-values';

describe('nulled values', () => {
  const counts = [
    { column: 'created_at', reason: 'NO_INSTANT' as const, count: 3 },
    { column: 'paid at', reason: 'NO_INSTANT' as const, count: 1 },
  ];

  it('says how many values of which columns were exported as NULL, and why', () => {
    expect(nulledValuesMessage(counts)).toBe(
      '4 DATETIME or TIMESTAMP values that name no instant (a zero date, a zero month or day, or a day the ' +
        'month does not have) were exported as NULL: created_at (3), paid at (1).',
    );
    expect(nulledValuesMessage([])).toBe('');
  });

  it('names the table in the WarningMessage entry', () => {
    expect(nulledValuesWarning('shop.orders', counts)).toEqual({
      reason: 'Table shop.orders: 4 values the source holds were exported as NULL.',
      detail: nulledValuesMessage(counts),
    });
  });
});

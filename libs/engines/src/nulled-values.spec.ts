import { NulledValues } from './nulled-values';

describe('NulledValues', () => {
  it('counts by column and reason, each once in the order first seen', () => {
    const nulled = new NulledValues();
    expect(nulled.list()).toEqual([]);
    nulled.add('b', 'NO_INSTANT');
    nulled.add('a', 'NO_INSTANT');
    nulled.add('b', 'NO_INSTANT');
    expect(nulled.list()).toEqual([
      { column: 'b', reason: 'NO_INSTANT', count: 2 },
      { column: 'a', reason: 'NO_INSTANT', count: 1 },
    ]);
  });
});

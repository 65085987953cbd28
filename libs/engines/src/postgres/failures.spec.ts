import { classifyPostgresFailure } from './failures';
import { InvalidSnapshotIdError } from './sql';

function pgError(code: string): Error {
  return Object.assign(new Error('server said no'), { code });
}

describe('classifyPostgresFailure', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', '08006', '57P01', '57P03', '53300', '40001'])(
    'retries %s',
    (code) => {
      expect(classifyPostgresFailure(pgError(code))).toBe('transient');
    },
  );

  it('retries a connection pg saw end', () => {
    expect(classifyPostgresFailure(new Error('Connection terminated unexpectedly'))).toBe('transient');
  });

  it.each(['42501', '42P01', '42703', '22023', '3D000', '28P01'])('gives up on %s', (code) => {
    expect(classifyPostgresFailure(pgError(code))).toBe('permanent');
  });

  it('gives up on a malformed snapshot id', () => {
    expect(classifyPostgresFailure(new InvalidSnapshotIdError('x y'))).toBe('permanent');
  });

  it('leaves anything else undecided', () => {
    expect(classifyPostgresFailure(new Error('boom'))).toBe('unknown');
    expect(classifyPostgresFailure(pgError('XX000'))).toBe('unknown');
    expect(classifyPostgresFailure('a string')).toBe('unknown');
  });
});

import { postgresRefusal } from './refusals';

function pgError(code: string): Error {
  return Object.assign(new Error('server said no'), { code });
}

describe('what a PostgreSQL server refused, by SQLSTATE', () => {
  it.each([
    ['28P01', 'login'],
    ['28000', 'login'],
    ['3D000', 'missing-database'],
    ['42501', 'access-denied'],
    ['42P01', 'missing-table'],
    ['3F000', 'missing-table'],
  ])('%s is a refusal of the %s', (code, refusal) => {
    expect(postgresRefusal(pgError(code))).toBe(refusal);
  });

  it('is no refusal for anything else, whatever the message says', () => {
    expect(postgresRefusal(pgError('57P01'))).toBeNull();
    expect(postgresRefusal(pgError('42703'))).toBeNull();
    expect(postgresRefusal(new Error('password authentication failed for user "x"'))).toBeNull();
    expect(postgresRefusal(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeNull();
  });
});

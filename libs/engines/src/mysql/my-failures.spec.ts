import { classifyMySqlFailure } from './my-failures';
import { InvalidKeyBoundError } from './my-sql';

function serverError(errno: number, code: string): Error {
  return Object.assign(new Error(code), { errno, code });
}

describe('MySQL failures', () => {
  it('calls lost connections, busy or restarting servers and deadlocks transient', () => {
    for (const error of [
      Object.assign(new Error('lost'), { code: 'PROTOCOL_CONNECTION_LOST' }),
      Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
      serverError(1040, 'ER_CON_COUNT_ERROR'),
      serverError(1053, 'ER_SERVER_SHUTDOWN'),
      serverError(1213, 'ER_LOCK_DEADLOCK'),
      serverError(1927, 'ER_CONNECTION_KILLED'),
    ])
      expect(classifyMySqlFailure(error)).toBe('transient');
  });

  it('calls privileges, missing objects and bad statements permanent', () => {
    for (const error of [
      serverError(1045, 'ER_ACCESS_DENIED_ERROR'),
      serverError(1142, 'ER_TABLEACCESS_DENIED_ERROR'),
      serverError(1146, 'ER_NO_SUCH_TABLE'),
      serverError(1049, 'ER_BAD_DB_ERROR'),
      serverError(1054, 'ER_BAD_FIELD_ERROR'),
      new InvalidKeyBoundError('x'),
    ])
      expect(classifyMySqlFailure(error)).toBe('permanent');
  });

  it('leaves anything else unknown', () => {
    expect(classifyMySqlFailure(serverError(1062, 'ER_DUP_ENTRY'))).toBe('unknown');
    expect(classifyMySqlFailure(new Error('boom'))).toBe('unknown');
    expect(classifyMySqlFailure(null)).toBe('unknown');
  });
});

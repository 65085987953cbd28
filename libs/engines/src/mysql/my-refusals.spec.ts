import { mySqlRefusal } from './my-refusals';

function serverError(errno: number): Error {
  return Object.assign(new Error('server said no'), { errno, code: 'ER_X' });
}

describe('what a MySQL or MariaDB server refused, by error number', () => {
  it.each([
    [1045, 'login'],
    [1698, 'login'],
    [1130, 'login'],
    [4151, 'login'],
    [1049, 'missing-database'],
    [1044, 'access-denied'],
    [1142, 'access-denied'],
    [1143, 'access-denied'],
    [1146, 'missing-table'],
  ])('%i is a refusal of the %s', (errno, refusal) => {
    expect(mySqlRefusal(serverError(errno))).toBe(refusal);
  });

  it('is no refusal for anything else, whatever the message says', () => {
    expect(mySqlRefusal(serverError(1213))).toBeNull();
    expect(mySqlRefusal(new Error("Access denied for user 'x'@'h' (using password: YES)"))).toBeNull();
  });
});

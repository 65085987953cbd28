import { SourceFailureMessages } from '@snapex/contracts';
import { connectOrExplain, loginOf, SourceRefusedError } from './source-refusals';

describe('a refused connection', () => {
  it('reads the server, user and database of a connection URL', () => {
    expect(loginOf('postgresql://exp%40orter:pw@db.internal:6432/sales%20eu', null)).toEqual({
      server: 'db.internal:6432',
      user: 'exp@orter',
      database: 'sales eu',
    });
    expect(loginOf('mysql://root@127.0.0.1:3306/', 'shop')).toEqual({
      server: '127.0.0.1:3306',
      user: 'root',
      database: 'shop',
    });
    expect(loginOf('mysql://root@127.0.0.1/', null).database).toBeNull();
  });

  it('becomes a SourceRefusedError whose cause says what to fix', async () => {
    const login = { server: 'db:5432', user: 'reader', database: 'sales' };
    const refused = Object.assign(new Error('no'), { code: 'X' });
    const failure = await connectOrExplain(
      login,
      () => 'missing-database',
      () => Promise.reject(refused),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SourceRefusedError);
    expect((failure as SourceRefusedError).failureCause).toBe(
      SourceFailureMessages.databaseMissing('db:5432', 'sales'),
    );
    expect((failure as SourceRefusedError).cause).toBe(refused);
  });

  it('leaves an error that is no refusal as it is', async () => {
    const unreachable = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    await expect(
      connectOrExplain(
        { server: 'db', user: 'u', database: null },
        () => null,
        () => Promise.reject(unreachable),
      ),
    ).rejects.toBe(unreachable);
  });
});

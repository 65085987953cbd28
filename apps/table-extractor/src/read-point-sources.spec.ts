import { PermanentError } from '@snapex/bus';
import { parseConfig } from '@snapex/config';
import { ReadPoint } from '@snapex/contracts';
import { ReadPointSources } from './read-point-sources';

const ACCOUNT = '123456789012';

describe('where a read point is read', () => {
  const sources = new ReadPointSources(
    parseConfig({
      region: 'us-east-1',
      accounts: [{ id: ACCOUNT }],
      sources: [
        { name: 'orders', accountId: ACCOUNT, engine: 'postgres', url: 'postgresql://live@db:5432/x' },
      ],
      scratch: {
        servers: [{ name: 'scratch-pg', engine: 'postgres', url: 'postgresql://scratch@tmp:5432/x' }],
      },
    }),
  );
  const point: ReadPoint = {
    engine: 'postgres',
    sourceName: 'orders',
    database: 'orders',
    snapshotId: '00000003-1',
    scratchServer: null,
  };

  it('reads a live read point from its registered source', () => {
    expect(sources.resolve(ACCOUNT, point).url).toBe('postgresql://live@db:5432/x');
  });

  it('reads a restored copy from the scratch server that holds it, never the source', () => {
    const source = sources.resolve(ACCOUNT, {
      ...point,
      scratchServer: 'scratch-pg',
      database: 'snapex_scratch_x_1',
    });
    expect(source).toMatchObject({
      name: 'scratch-pg',
      engine: 'postgres',
      url: 'postgresql://scratch@tmp:5432/x',
    });
  });

  it('refuses a scratch server or source that is not configured', () => {
    expect(() => sources.resolve(ACCOUNT, { ...point, scratchServer: 'gone' })).toThrow(PermanentError);
    expect(() => sources.resolve('999999999999', point)).toThrow(PermanentError);
  });
});

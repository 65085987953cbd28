import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetPartWriter } from './parquet-part-writer';
import { UnsupportedColumnNameError } from './parquet-schema';

// The cases every encoder must pass are in encoders.spec.ts; these are parquetjs' own.
describe('ParquetPartWriter', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parquet-part-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a column name parquetjs would mistake for the prototype', async () => {
    await expect(
      ParquetPartWriter.open(
        [{ name: '__proto__', parquetType: 'STRING' }],
        createWriteStream(join(dir, 'x')),
        {
          rowGroupRows: 1,
        },
      ),
    ).rejects.toBeInstanceOf(UnsupportedColumnNameError);
  });
});

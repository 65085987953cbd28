import { PassThrough, Readable } from 'node:stream';
import { rowBatches, RowSink } from './row-batches';

/** Rows gathered into arrays of up to `size`. */
function arrays(size: number): RowSink<number, number[]> {
  const batch: number[] = [];
  return {
    add: (row) => batch.push(row) >= size,
    take: () => batch.splice(0),
    get length() {
      return batch.length;
    },
  };
}

async function collect<T>(batches: AsyncGenerator<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

describe('row batches', () => {
  it('cuts the rows into batches of the given size, the last one shorter', async () => {
    const rows = Readable.from([1, 2, 3, 4, 5, 6, 7], { objectMode: true });
    expect(await collect(rowBatches(rows, arrays(3)))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(await collect(rowBatches(Readable.from([], { objectMode: true }), arrays(3)))).toEqual([]);
  });

  it('waits for rows that arrive later', async () => {
    const rows = new PassThrough({ objectMode: true });
    const reading = collect(rowBatches(rows, arrays(2)));
    rows.write(1);
    setTimeout(() => {
      rows.write(2);
      rows.end(3);
    }, 20);
    expect(await reading).toEqual([[1, 2], [3]]);
  });

  it('fails with the stream', async () => {
    const rows = new PassThrough({ objectMode: true });
    const reading = collect(rowBatches(rows, arrays(2)));
    rows.write(1);
    setTimeout(() => rows.destroy(new Error('connection lost')), 10);
    await expect(reading).rejects.toThrow('connection lost');
  });

  it('destroys the stream when the consumer stops early', async () => {
    const rows = new PassThrough({ objectMode: true });
    for (let index = 0; index < 10; index++) rows.write(index);
    for await (const batch of rowBatches(rows, arrays(4))) {
      expect(batch).toEqual([0, 1, 2, 3]);
      break;
    }
    expect(rows.destroyed).toBe(true);
  });
});

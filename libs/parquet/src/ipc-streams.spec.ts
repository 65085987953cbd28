import { Int32, Table, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { IpcStreamError, joinIpcStreams } from './ipc-streams';

function streamOf(values: number[]): Uint8Array {
  return tableToIPC(new Table({ value: vectorFromArray(values, new Int32()) }), 'stream');
}

describe('joinIpcStreams', () => {
  it('joins the record batches of several streams into one, in order', () => {
    const joined = tableFromIPC(joinIpcStreams([streamOf([1, 2]), streamOf([]), streamOf([3, 4, 5])]));
    expect(joined.getChild('value')!.toArray()).toEqual(Int32Array.from([1, 2, 3, 4, 5]));
    expect(joined.batches.length).toBeGreaterThanOrEqual(2);
  });

  it('reads a single stream as it was', () => {
    expect(tableFromIPC(joinIpcStreams([streamOf([7])])).numRows).toBe(1);
  });

  it('refuses bytes that are not an IPC stream', () => {
    expect(() => joinIpcStreams([Buffer.from('not arrow at all, not at all')])).toThrow(IpcStreamError);
    expect(() => joinIpcStreams([streamOf([1]).subarray(0, 20)])).toThrow(IpcStreamError);
    expect(() => joinIpcStreams([])).toThrow(IpcStreamError);
  });
});

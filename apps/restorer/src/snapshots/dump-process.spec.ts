import { Readable } from 'node:stream';
import { DumpFailedError, runDumpProcess } from './dump-process';

async function read(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('a dump tool process', () => {
  it('passes the output through and ends it when the tool succeeds, secrets in the environment', async () => {
    const dump = runDumpProcess('sh', ['-c', 'printf "%s" "$DUMP_SECRET"'], { DUMP_SECRET: 'from-env' });
    expect(await read(dump.output)).toBe('from-env');
    await expect(dump.finished).resolves.toBeUndefined();
  });

  it('fails the output instead of ending it when the tool fails half-way, naming its last words', async () => {
    const dump = runDumpProcess('sh', ['-c', 'echo partial; echo "connection lost" >&2; exit 3'], {});
    await expect(read(dump.output)).rejects.toBeInstanceOf(DumpFailedError);
    await expect(dump.finished).rejects.toThrow(/sh exited with 3: connection lost/);
  });

  it('fails when the tool cannot be run at all', async () => {
    const dump = runDumpProcess('snapex-no-such-dump-tool', [], {});
    await expect(dump.finished).rejects.toThrow(/could not be run/);
  });
});

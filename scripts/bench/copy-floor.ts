import { BENCH_TABLE } from './dataset';
import { Measurement, secondsSince } from './measurement';
import { PeakRssSampler } from './process-memory';
import { exited, psql } from './processes';

/** Bytes of `COPY (SELECT * …) TO STDOUT (FORMAT binary)` read through psql, nothing done with them. */
async function copyBinary(url: string): Promise<{ bytes: number; seconds: number; psqlRssMiB: number }> {
  const start = process.hrtime.bigint();
  const child = psql(url, `COPY (SELECT * FROM ${BENCH_TABLE}) TO STDOUT (FORMAT binary)`);
  const sampler = new PeakRssSampler(child.pid);
  let bytes = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  let psqlRssMiB: number;
  try {
    await exited(child, 'psql COPY binary');
  } finally {
    psqlRssMiB = sampler.stop();
  }
  return { bytes, seconds: secondsSince(start), psqlRssMiB };
}

/** The read floor: what PostgreSQL's one backend can hand out, measured on a warmed cache. */
export async function measureCopyFloor(url: string, rows: number): Promise<Measurement> {
  await copyBinary(url);
  const { bytes, seconds, psqlRssMiB } = await copyBinary(url);
  return {
    name: 'COPY binary read floor (psql)',
    seconds,
    rows,
    dataBytes: bytes,
    outputBytes: null,
    peakRssMiB: { psql: psqlRssMiB },
  };
}

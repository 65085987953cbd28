import { gzipSync } from 'node:zlib';
import { compress as zstdCompress, init as initZstd } from '@bokuweb/zstd-wasm';
import { compress as snappyCompress } from 'snappyjs';
import { Codec } from '@snapex/contracts';
import { format } from './parquet-thrift';

/** How the pages of a file are compressed, one page body at a time. */
export interface PageCodec {
  readonly codec: format.CompressionCodec;
  /** `valueBytes`: the page's bytes per value, where the page header tells it. */
  compress(body: Buffer, valueBytes?: number): Buffer;
}

/** A codec and its level, where it has levels. */
export interface PageCompression {
  codec: Codec;
  level: number;
}

/**
 * zlib's largest hash table (memLevel 9, 256 KiB more per call than the default 8): on the benchmark's
 * pages at level 1, about 5% less CPU and slightly smaller output.
 */
const GZIP_MEM_LEVEL = 9;

/**
 * The deflate window: 4 KiB unless values are long, then wide enough for the last 8 values. At level 1
 * on the benchmark's pages a 4 KiB window took 0.67 CPU s where 32 KiB took 0.92, and wrote 5% fewer
 * bytes: zlib's fast level follows at most 4 hash matches, which in a wide window are far and short.
 * Repeats of long values (the same document again a few rows later) still fall inside the window.
 */
const MIN_WINDOW_BITS = 12;
const MAX_WINDOW_BITS = 15;
const VALUES_IN_WINDOW = 8;

export function gzipWindowBits(valueBytes = 0): number {
  const bits = Math.ceil(Math.log2(Math.max(1, valueBytes * VALUES_IN_WINDOW)));
  return Math.min(MAX_WINDOW_BITS, Math.max(MIN_WINDOW_BITS, bits));
}

/** gzip through Node's zlib at `level` (1-9). */
export function gzipPages(level: number): PageCodec {
  return {
    codec: format.CompressionCodec.GZIP,
    compress: (body, valueBytes) =>
      gzipSync(body, { level, memLevel: GZIP_MEM_LEVEL, windowBits: gzipWindowBits(valueBytes) }),
  };
}

let zstdReady: Promise<void> | null = null;

/**
 * The codec's compressor: gzip through Node's zlib, zstd through the reference library compiled to
 * WebAssembly (Node's zlib has zstd only from 22.15), snappy in JavaScript. zstd's WebAssembly is
 * loaded once per thread, the first time a file asks for it.
 */
export async function pageCodecFor({ codec, level }: PageCompression): Promise<PageCodec> {
  switch (codec) {
    case 'gzip':
      return gzipPages(level);
    case 'zstd':
      await (zstdReady ??= initZstd());
      return {
        codec: format.CompressionCodec.ZSTD,
        compress: (body) => {
          const compressed = zstdCompress(body, level);
          return Buffer.from(compressed.buffer, compressed.byteOffset, compressed.byteLength);
        },
      };
    case 'snappy':
      return { codec: format.CompressionCodec.SNAPPY, compress: (body) => snappyCompress(body) };
  }
}

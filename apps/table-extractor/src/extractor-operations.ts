import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EncoderThreads } from '@snapex/parquet';
import { gauge, HealthChecks } from '@snapex/telemetry';
import { ENCODER_THREADS } from './tokens';

let watchedThreads: EncoderThreads | null = null;

gauge({
  name: 'snapex_encoder_files',
  help: 'Parquet files being encoded on the encoder threads',
  collect() {
    this.set((watchedThreads?.filesPerThread() ?? []).reduce((sum, files) => sum + files, 0));
  },
});

gauge({
  name: 'snapex_encoder_wasm_memory_bytes',
  help: 'WebAssembly memory of the Parquet encoder threads (outside the V8 heap, inside resident memory)',
  collect() {
    this.set(watchedThreads?.wasmBytes() ?? 0);
  },
});

/** The extractor is ready while its encoder threads can encode (parquetjs encodes on the main thread). */
@Injectable()
export class ExtractorOperations implements OnModuleInit {
  constructor(
    @Inject(HealthChecks) private readonly health: HealthChecks,
    @Inject(ENCODER_THREADS) private readonly threads: EncoderThreads | null,
  ) {}

  onModuleInit(): void {
    const threads = this.threads;
    if (!threads) return;
    watchedThreads = threads;
    this.health.add('encoder-threads', () => threads.readiness());
  }
}

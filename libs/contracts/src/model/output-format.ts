import { z } from 'zod';

/**
 * How column types are written. `aws` is the RDS mapping (PostgreSQL numerics, dates, times, UUIDs
 * and JSON as strings); `native` keeps them as Parquet logical types (README, Native types).
 */
export const TypeModeSchema = z.enum(['aws', 'native']);
export type TypeMode = z.infer<typeof TypeModeSchema>;

/** The page codecs an export may use; gzip is what RDS writes. */
export const CodecSchema = z.enum(['gzip', 'zstd', 'snappy']);
export type Codec = z.infer<typeof CodecSchema>;

/** Levels each codec takes; snappy has none. */
export const CODEC_LEVELS: Record<Codec, { min: number; max: number } | null> = {
  gzip: { min: 1, max: 9 },
  zstd: { min: 1, max: 22 },
  snappy: null,
};

/** A codec and, for those that have levels, the level; without one the configured default applies. */
export const CompressionSchema = z
  .object({ codec: CodecSchema, level: z.number().int().optional() })
  .superRefine(({ codec, level }, ctx) => {
    if (level === undefined) return;
    const levels = CODEC_LEVELS[codec];
    if (!levels) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${codec} takes no level` });
    else if (level < levels.min || level > levels.max)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `a ${codec} level is from ${levels.min} to ${levels.max}`,
      });
  });
export type Compression = z.infer<typeof CompressionSchema>;

/** Part files smaller than this are refused as a target: one row group alone may be larger. */
export const MIN_FILE_TARGET_BYTES = 1024 * 1024;

/**
 * How one export writes its Parquet files, decided when it starts from the request, else the
 * configuration's `output` defaults. A level or file size left out is the extractor's configured one.
 */
export const OutputFormatSchema = z.object({
  typeMode: TypeModeSchema,
  compression: CompressionSchema,
  /** A partition's output rolls over to a new part file once the current one reaches this size. */
  fileTargetBytes: z.number().int().min(MIN_FILE_TARGET_BYTES).optional(),
});
export type OutputFormat = z.infer<typeof OutputFormatSchema>;

/** What the files of one partition are written with: the output format less the type mode, which the columns carry. */
export const PartOutputSchema = OutputFormatSchema.pick({ compression: true, fileTargetBytes: true });
export type PartOutput = z.infer<typeof PartOutputSchema>;

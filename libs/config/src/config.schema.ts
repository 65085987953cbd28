import { z } from 'zod';

const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');
const Identifier = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/, 'must be a letter followed by letters, digits or hyphens');

export const SourceConfigSchema = z.object({
  name: Identifier,
  accountId: AccountId,
  /** `cluster` sources are exported live at one consistent point. */
  kind: z.enum(['cluster']).default('cluster'),
  engine: z.enum(['postgres', 'mysql']),
  /** Connection URL of a user that may read every table; give it as `env:NAME` or `file:/path`. */
  url: z.string().url('must be a connection URL'),
  /** Only these databases belong to the source; all user databases of the server when absent. */
  databases: z.array(z.string().min(1)).min(1).optional(),
});
export type SourceConfig = z.infer<typeof SourceConfigSchema>;

export const SnapexConfigSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region name such as us-east-1'),
    accounts: z
      .array(
        z.object({
          id: AccountId,
          /** API keys of the JSON API; each maps a caller to this account. */
          apiKeys: z.array(z.string().min(16, 'must be at least 16 characters')).default([]),
        }),
      )
      .min(1, 'must list at least one account'),
    sources: z.array(SourceConfigSchema).default([]),
    nats: z
      .object({
        url: z.string().min(1).default('nats://127.0.0.1:4222'),
        /** How long a message may stay unacknowledged before JetStream redelivers it. */
        ackWaitSeconds: z.number().int().min(5).default(60),
        maxDeliver: z.number().int().min(1).default(10),
        rpcTimeoutMs: z.number().int().min(100).default(10_000),
      })
      .default({}),
    registry: z
      .object({
        databaseUrl: z.string().url('must be a PostgreSQL connection URL'),
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
          .default('snapex_registry'),
        maxActiveTasksPerAccount: z.number().int().min(1).default(5),
      })
      .optional(),
    aws: z
      .object({
        /** S3/KMS/STS endpoint for S3-compatible stores and local testing; AWS itself when absent. */
        endpoint: z.string().url().optional(),
        forcePathStyle: z.boolean().default(false),
        /** snapex's own identity, the one that assumes the caller's role; SDK default chain when absent. */
        serviceCredentials: z
          .object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) })
          .optional(),
        roleSessionSeconds: z.number().int().min(900).max(43_200).default(3600),
        roleSessionName: z.string().default('snapex-export'),
      })
      .default({}),
    gateway: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
        maxBodyBytes: z.number().int().min(1024).default(1_048_576),
      })
      .default({}),
    restorer: z
      .object({
        /** A table is cut into partitions of about this many bytes. */
        partitionTargetBytes: z
          .number()
          .int()
          .min(1024)
          .default(256 * 1024 * 1024),
        /** A pinned snapshot is released after this long even if no terminal event arrives. */
        maxSnapshotHoldSeconds: z
          .number()
          .int()
          .min(60)
          .default(24 * 3600),
      })
      .default({}),
    extractor: z
      .object({
        /** Partitions one extractor process works on at once. */
        concurrency: z.number().int().min(1).default(2),
        /** Rows fetched from the database per round trip; cancellation is checked between batches. */
        batchRows: z.number().int().min(1).default(5000),
        rowGroupRows: z.number().int().min(1).default(50_000),
        uploadPartBytes: z
          .number()
          .int()
          .min(5 * 1024 * 1024)
          .default(8 * 1024 * 1024),
        uploadQueueSize: z.number().int().min(1).default(4),
      })
      .default({}),
    logging: z
      .object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') })
      .default({}),
  })
  .superRefine((config, ctx) => {
    const accountIds = new Set(config.accounts.map((account) => account.id));
    const sourceNames = new Set<string>();
    config.sources.forEach((source, index) => {
      if (!accountIds.has(source.accountId)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['sources', index, 'accountId'],
          message: `names account ${source.accountId}, which is not in accounts`,
        });
      }
      const key = `${source.accountId}/${source.name}`;
      if (sourceNames.has(key)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['sources', index, 'name'],
          message: `${source.name} is registered twice for account ${source.accountId}`,
        });
      }
      sourceNames.add(key);
    });
  });

export type SnapexConfig = z.infer<typeof SnapexConfigSchema>;

import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { extractorMemoryPlan } from './extractor-memory';
import { parseCidr } from './webhook-destinations';

const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');
const Identifier = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/, 'must be a letter followed by letters, digits or hyphens');

export const SourceConfigSchema = z.strictObject({
  name: Identifier,
  accountId: AccountId,
  /** `cluster` sources are exported live at one consistent point. */
  kind: z.enum(['cluster']).default('cluster'),
  engine: z.enum(['postgres', 'mysql']),
  /** Connection URL of a user that may read every table; give it as `env:NAME` or `file:/path`. */
  url: z.string().url('must be a connection URL'),
  /** Only these databases belong to the source; all user databases of the server when absent. */
  databases: z.array(z.string().min(1)).min(1).optional(),
  /**
   * Automated snapshots (`rds:<name>-<yyyy-mm-dd-hh-mm>`) taken every intervalMinutes (fractions allowed),
   * keeping the newest `retain`; none when absent.
   */
  automatedSnapshots: z
    .strictObject({ intervalMinutes: z.number().positive(), retain: z.number().int().min(1).default(7) })
    .optional(),
});
export type SourceConfig = z.infer<typeof SourceConfigSchema>;

const AccessKeySchema = z.strictObject({
  accessKeyId: z.string().regex(/^\w{16,128}$/, 'must be 16 to 128 letters, digits or underscores'),
  secretAccessKey: z.string().min(16, 'must be at least 16 characters'),
});

/** The seven services, by the names they log and listen under, in the order they are best started. */
export const SERVICE_NAMES = [
  'task-registry',
  'api-gateway',
  'credential-validator',
  'restorer',
  'table-extractor',
  'metadata-writer',
  'notifier',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const Port = z.number().int().min(0).max(65_535);

const cidrSchema = z.string().superRefine((cidr, context) => {
  try {
    parseCidr(cidr);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** task-registry's operations port; the others follow it in SERVICE_NAMES order. */
export const DEFAULT_OPS_PORT = 9464;

/** AWS STS refuses shorter sessions; other STS endpoints (moto, Ceph RGW) apply bounds of their own. */
export const AWS_MINIMUM_ROLE_SESSION_SECONDS = 900;

export const SnapexConfigSchema = z
  .strictObject({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region name such as us-east-1'),
    accounts: z
      .array(
        z.strictObject({
          id: AccountId,
          /** API keys of the JSON API; each maps a caller to this account. */
          apiKeys: z.array(z.string().min(16, 'must be at least 16 characters')).default([]),
          /** Access key pairs that sign requests with AWS Signature Version 4, as the AWS CLI and SDKs do. */
          accessKeys: z.array(AccessKeySchema).default([]),
          /**
           * Other accounts that may name this account's IAM roles and KMS keys in their exports. None by
           * default: an export may use only roles and key ARNs of the caller's own account.
           */
          trustedAccounts: z.array(AccountId).default([]),
          /**
           * Key of the HMAC-SHA256 signature on every webhook delivery of the account's event
           * subscriptions (`X-Snapex-Signature`); subscriptions to a webhook URL need one.
           */
          webhookSecret: z.string().min(16, 'must be at least 16 characters').optional(),
        }),
      )
      .min(1, 'must list at least one account'),
    sources: z.array(SourceConfigSchema).default([]),
    nats: z
      .strictObject({
        /**
         * One server, or several separated by commas (the seeds of a cluster; the client learns the
         * others from them and moves to another when its server goes away).
         */
        url: z
          .string()
          .min(1)
          .default('nats://127.0.0.1:4222')
          .refine(
            (url) => url.split(',').every((server) => /^(nats|tls):\/\/[^\s,]+$/.test(server.trim())),
            'must be nats:// or tls:// URLs separated by commas',
          ),
        /** Copies JetStream keeps of every snapex stream: 3 on a three-node cluster survives a node lost. */
        streamReplicas: z.number().int().min(1).max(5).default(1),
        /** TLS to the servers; the system's CAs verify them unless caFile is given. */
        tls: z
          .strictObject({
            /** PEM file of the CA that signed the servers' certificates. */
            caFile: z.string().min(1).optional(),
            /** Client certificate and key (PEM) for servers that verify clients; both or neither. */
            certFile: z.string().min(1).optional(),
            keyFile: z.string().min(1).optional(),
          })
          .optional(),
        /**
         * How the services authenticate: exactly one of a credentials file (user JWT and NKey seed,
         * `credsFile`), `user` with `password`, or `token`. Give secrets as `env:NAME` or `file:/path`.
         */
        auth: z
          .strictObject({
            credsFile: z.string().min(1).optional(),
            user: z.string().min(1).optional(),
            password: z.string().min(1).optional(),
            token: z.string().min(1).optional(),
          })
          .optional(),
        /** How long a message may stay unacknowledged before JetStream redelivers it. */
        ackWaitSeconds: z.number().int().min(5).default(60),
        maxDeliver: z.number().int().min(1).default(10),
        rpcTimeoutMs: z.number().int().min(100).default(10_000),
      })
      .default({}),
    registry: z
      .strictObject({
        databaseUrl: z.string().url('must be a PostgreSQL connection URL'),
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
          .default('snapex_registry'),
        maxActiveTasksPerAccount: z.number().int().min(1).default(5),
        /** Manual snapshots one account may keep (RDS's default quota is 100); automated ones are not counted. */
        maxManualSnapshotsPerAccount: z.number().int().min(1).default(100),
        /** A table still exporting this long after it started is announced (RDS-EVENT-0487), again each period. */
        longTableNoticeMinutes: z.number().int().min(1).default(60),
        /** Event subscriptions one account may have (RDS's default quota is 20). */
        maxEventSubscriptionsPerAccount: z.number().int().min(1).default(20),
      })
      .optional(),
    aws: z
      .strictObject({
        /** S3/KMS/STS/SNS/Glue endpoint for S3-compatible stores and local testing; AWS itself when absent. */
        endpoint: z.string().url().optional(),
        /**
         * One service's endpoint, over `endpoint`: e.g. S3 and STS served by an object store such as
         * Ceph RGW while KMS is served elsewhere.
         */
        endpoints: z
          .strictObject({
            s3: z.string().url().optional(),
            sts: z.string().url().optional(),
            kms: z.string().url().optional(),
            sns: z.string().url().optional(),
            glue: z.string().url().optional(),
          })
          .default({}),
        forcePathStyle: z.boolean().default(false),
        /**
         * snapex's own identity, the one that assumes the caller's role: the principal the role's trust
         * policy names, where RDS's names export.rds.amazonaws.com. The SDK default chain when absent.
         */
        serviceCredentials: z
          .strictObject({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) })
          .optional(),
        /**
         * How long one assumed-role session lasts; credentials are renewed before it ends. AWS STS
         * accepts 900 to 43200; another STS endpoint applies its own bounds.
         */
        roleSessionSeconds: z.number().int().min(1).max(43_200).default(3600),
        roleSessionName: z.string().default('snapex-export'),
        /**
         * Before writing, snapex checks as the role that the task's KMS key is still usable and trusts
         * the answer this long, so a key disabled mid-export stops the export on any object store.
         */
        keyRecheckSeconds: z.number().int().min(0).default(60),
        /** A TCP connection to S3, KMS or STS not established within this long fails the request. */
        connectionTimeoutMs: z.number().int().min(100).default(5_000),
        /**
         * A request whose socket neither sends nor receives a byte for this long fails (and is
         * retried): an endpoint that accepts connections and never answers cannot hold a call
         * for ever. An idle time, not a limit on the whole request, so a multipart part of several
         * MiB on a slow link does not trip it while its bytes still flow.
         */
        socketTimeoutMs: z.number().int().min(100).default(120_000),
      })
      .default({}),
    /** How the notifier delivers events to subscriptions' SNS topics and webhooks. */
    notifier: z
      .strictObject({
        /** Attempts at one delivery before it is dead-lettered. */
        maxAttempts: z.number().int().min(1).max(50).default(8),
        /** Delay before the second attempt; it doubles with each further one, with random jitter. */
        initialRetryDelayMs: z.number().int().min(10).default(1_000),
        maxRetryDelayMs: z.number().int().min(10).default(300_000),
        /** One webhook request or SNS Publish that has not answered in this long fails. */
        requestTimeoutMs: z.number().int().min(100).default(10_000),
        /** Deliveries in flight at once. */
        concurrency: z.number().int().min(1).default(4),
        /**
         * Networks (CIDR) webhooks may be delivered to although they are loopback, private, link-local
         * or reserved; none by default, so a subscriber cannot reach into snapex's own network.
         */
        webhookAllowedNetworks: z.array(cidrSchema).default([]),
      })
      .default({}),
    gateway: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
        maxBodyBytes: z.number().int().min(1024).default(1_048_576),
        /**
         * RestoreExportTask: the gateway connects to whatever database a caller's TargetUrl names,
         * so it is off unless the operator turns it on.
         */
        restoreExports: z.boolean().default(false),
      })
      .default({}),
    /**
     * Where snapshots live: snapex's own bucket, reached with aws.serviceCredentials (not a caller's
     * role). Required to create, register or export snapshots.
     */
    snapshotStore: z
      .strictObject({
        bucket: z.string().min(3),
        /** Key prefix under which each snapshot gets a folder of its own. */
        prefix: z.string().default('snapshots/'),
      })
      .optional(),
    /**
     * Database servers a snapshot is restored (or a live MySQL source cloned) into before it is
     * exported: one database per exported database, named `<databasePrefix><task id without
     * hyphens>_<n>`; the live sources are never read during a snapshot export.
     */
    scratch: z
      .strictObject({
        servers: z
          .array(
            z.strictObject({
              name: Identifier,
              engine: z.enum(['postgres', 'mysql']),
              /** Connection URL of a user that may create and drop databases; `env:NAME` or `file:/path`. */
              url: z.string().url('must be a connection URL'),
            }),
          )
          .default([]),
        databasePrefix: z
          .string()
          .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier prefix')
          // PostgreSQL cuts names past 63 bytes and MySQL refuses them: 27 + 32 hex digits + `_<n>`.
          .max(27, 'must be at most 27 characters, so that scratch database names stay within 63')
          .default('snapex_scratch_'),
        /**
         * Parallel jobs of one restore (`pg_restore --jobs`). With 1, a custom-format dump streams
         * from the snapshot store into pg_restore and nothing is staged on local disk; more jobs seek
         * in the archive, so it is first written whole to the temporary folder (as a directory-format
         * dump always is).
         */
        restoreJobs: z.number().int().min(1).default(1),
      })
      .default({}),
    restorer: z
      .strictObject({
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
      .strictObject({
        /** Partitions one extractor process works on at once. */
        concurrency: z.number().int().min(1).default(2),
        /** Rows fetched from the database per round trip; cancellation is checked between batches. */
        batchRows: z.number().int().min(1).default(5000),
        rowGroupRows: z.number().int().min(1).default(50_000),
        /** A partition's output rolls over to a new part file once the current one reaches this size. */
        fileTargetBytes: z
          .number()
          .int()
          .min(1024)
          .default(1024 * 1024 * 1024),
        uploadPartBytes: z
          .number()
          .int()
          .min(5 * 1024 * 1024)
          .default(8 * 1024 * 1024),
        uploadQueueSize: z.number().int().min(1).default(4),
        /**
         * A partition that reads no row and finishes no upload part for this long is abandoned and
         * retried (the task fails once nats.maxDeliver attempts stalled). One upload part must fit in
         * it on the slowest link: 8 MiB in 300 s is 28 KB/s.
         */
        stallTimeoutSeconds: z.number().int().min(1).default(300),
        /** A row this large or larger skips its table (the seed: close to or greater than 2 GB). */
        maxRowBytes: z
          .number()
          .int()
          .min(1)
          .default(2 * 1024 ** 3 - 64 * 1024 ** 2),
        /** One value (BLOB, CLOB, bytea, text) this large or larger fails the export (the seed: ~500 MB). */
        maxValueBytes: z
          .number()
          .int()
          .min(1)
          .default(500 * 1024 ** 2),
        /** Parquet encoder: parquet-wasm is several times faster (see the README's benchmark); parquetjs is pure JS. */
        encoder: z.enum(['parquet-wasm', 'parquetjs']).default('parquet-wasm'),
        /**
         * Who writes parquet-wasm files' pages: `plain` writes PLAIN pages straight from the columns read
         * (LIST columns excepted, which parquet-wasm writes), `parquet-wasm` has arrow-rs write them all.
         */
        pageWriter: z.enum(['plain', 'parquet-wasm']).default('plain'),
        /**
         * zlib level of parquet-wasm's gzip pages: 1 is the fastest and, on the benchmark's table, ~2%
         * larger than 6 (README, Performance); 9 the smallest.
         */
        gzipLevel: z.number().int().min(1).max(9).default(1),
        /** zstd level of zstd pages, for exports that ask for zstd without a level. */
        zstdLevel: z.number().int().min(1).max(22).default(3),
        /** Threads parquet-wasm encodes on; no more than `concurrency` of them are ever busy. */
        encoderThreads: z
          .number()
          .int()
          .min(1)
          .default(() => availableParallelism()),
        /**
         * Peak resident memory of one extractor process. Row group size, batches in flight and their
         * size are derived from it; a limit the fixed costs (process, threads, upload buffers) do not
         * fit in is refused at start-up.
         */
        memoryLimitBytes: z
          .number()
          .int()
          .min(64 * 1024 * 1024)
          .default(768 * 1024 * 1024),
      })
      .default({}),
    metadataWriter: z
      .strictObject({
        /**
         * Registers every exported table in the Glue Data Catalog of the export's account, as the
         * export's role (glue:GetDatabase, CreateDatabase, GetTable, CreateTable, UpdateTable): one
         * Glue database per source database, `<databasePrefix><database>`, whose tables point at the
         * latest export of each table. A refusal fails the task at its metadata stage.
         */
        glueCatalog: z
          .strictObject({
            enabled: z.boolean().default(false),
            databasePrefix: z
              .string()
              .regex(/^[a-z0-9_]*$/, 'must be lower-case letters, digits and underscores')
              .max(64)
              .default(''),
          })
          .default({}),
      })
      .default({}),
    /**
     * How exports write Parquet when StartExportTask does not say (SnapexOutput): `aws` types and gzip
     * are what RDS writes; `native` keeps dates, times, decimals, UUIDs and JSON as Parquet logical types.
     */
    output: z
      .strictObject({
        typeMode: z.enum(['aws', 'native']).default('aws'),
        codec: z.enum(['gzip', 'zstd', 'snappy']).default('gzip'),
      })
      .default({}),
    /**
     * The operations listener every service runs (GET /healthz/live, /healthz/ready, /metrics) and
     * tracing. Each service listens on its own port, so that all seven fit on one host; 0 takes any
     * free port (the service logs the address it got).
     */
    observability: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1'),
        ports: z
          .strictObject(
            Object.fromEntries(
              SERVICE_NAMES.map((service, index) => [service, Port.default(DEFAULT_OPS_PORT + index)]),
            ) as Record<ServiceName, z.ZodDefault<typeof Port>>,
          )
          .default({}),
        tracing: z
          .strictObject({
            /** Off by default: no span is recorded and messages carry no trace context. */
            enabled: z.boolean().default(false),
            /** OTLP/HTTP endpoint spans are sent to (`http://collector:4318/v1/traces`); none when absent. */
            otlpEndpoint: z.string().url().optional(),
            /** Share of new traces recorded (an export's whole trace follows its first span's decision). */
            sampleRatio: z.number().min(0).max(1).default(1),
          })
          .default({}),
      })
      .default({}),
    logging: z
      .strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') })
      .default({}),
  })
  .superRefine((config, ctx) => {
    for (const problem of natsProblems(config.nats))
      ctx.addIssue({ code: z.ZodIssueCode.custom, ...problem });
    const memory = extractorMemoryPlan(config.extractor);
    if ('problem' in memory) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['extractor', 'memoryLimitBytes'],
        message: memory.problem,
      });
    }
    const stsIsAws = !(config.aws.endpoints.sts ?? config.aws.endpoint);
    if (stsIsAws && config.aws.roleSessionSeconds < AWS_MINIMUM_ROLE_SESSION_SECONDS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['aws', 'roleSessionSeconds'],
        message: `must be at least ${AWS_MINIMUM_ROLE_SESSION_SECONDS} when STS is AWS itself`,
      });
    }
    const accessKeyIds = new Set<string>();
    config.accounts.forEach((account, accountIndex) =>
      account.accessKeys.forEach(({ accessKeyId }, keyIndex) => {
        if (accessKeyIds.has(accessKeyId)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['accounts', accountIndex, 'accessKeys', keyIndex, 'accessKeyId'],
            message: `${accessKeyId} is configured twice`,
          });
        }
        accessKeyIds.add(accessKeyId);
      }),
    );
    const accountIds = new Set(config.accounts.map((account) => account.id));
    config.accounts.forEach((account, accountIndex) =>
      account.trustedAccounts.forEach((trusted, trustedIndex) => {
        const problem =
          trusted === account.id
            ? 'is the account itself, which needs no trust'
            : !accountIds.has(trusted)
              ? `names account ${trusted}, which is not in accounts`
              : undefined;
        if (problem) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['accounts', accountIndex, 'trustedAccounts', trustedIndex],
            message: problem,
          });
        }
      }),
    );
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
      if (source.automatedSnapshots && !config.snapshotStore) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['sources', index, 'automatedSnapshots'],
          message: 'needs a snapshotStore to keep the snapshots in',
        });
      }
    });
  });

export type SnapexConfig = z.infer<typeof SnapexConfigSchema>;
export type NatsConfig = SnapexConfig['nats'];

/** TLS files that only work together, and exactly one way to authenticate. */
function natsProblems(nats: Pick<NatsConfig, 'tls' | 'auth'>): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  if (nats.tls && Boolean(nats.tls.certFile) !== Boolean(nats.tls.keyFile)) {
    const missing = nats.tls.certFile ? 'keyFile' : 'certFile';
    problems.push({
      path: ['nats', 'tls', missing],
      message: 'must be given with the other one (certFile and keyFile)',
    });
  }
  if (nats.auth) {
    const { credsFile, user, password, token } = nats.auth;
    const ways = [credsFile && 'credsFile', (user || password) && 'user/password', token && 'token'].filter(
      Boolean,
    );
    if (ways.length !== 1) {
      problems.push({
        path: ['nats', 'auth'],
        message:
          ways.length === 0
            ? 'must give credsFile, user and password, or token'
            : `gives ${ways.join(' and ')}: choose one`,
      });
    } else if (Boolean(user) !== Boolean(password)) {
      problems.push({
        path: ['nats', 'auth', user ? 'password' : 'user'],
        message: 'must be given with the other one (user and password)',
      });
    }
  }
  return problems;
}

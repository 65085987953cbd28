import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger } from '@snapex/logging';
import { execFileSync } from 'node:child_process';
import { createConnection } from 'mysql2/promise';
import { RestorerModule } from '../../apps/restorer/src/restorer.module';
import { serviceCredentialsOf } from '../../scripts/local-stack/export-target';
import { MotoServer, startMoto } from '../../scripts/local-stack/moto';
import { RdsAccount, RdsStack, startRdsStack } from '../rds-api/rds-stack';
import { dropDatabase, pgUrl, recreateDatabase, withPg } from '../support/databases';

export const MYSQL_URL = process.env.SNAPEX_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
export const ORDER_ROWS = 1500;
export const CUSTOMER_ROWS = 40;
export const MANUAL_SNAPSHOT_QUOTA = 50;

/** The RDS API stack, a restorer taking snapshots, moto as the snapshot store and two real sources. */
export interface SnapshotStack {
  rdsStack: RdsStack;
  main: RdsAccount;
  other: RdsAccount;
  /** An account for limits: nothing else is created in it. */
  bulk: RdsAccount;
  runId: string;
  bucket: string;
  /** Source database names, on PostgreSQL and on MariaDB alike. */
  sourceDatabase: string;
  s3: S3Client;
  objectBody(key: string): Promise<Buffer>;
  objectExists(key: string): Promise<boolean>;
  copyObject(from: string, to: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startSnapshotStack(): Promise<SnapshotStack> {
  process.env.PATH = `${process.env.HOME}/.pyenv/shims:${process.env.PATH}`;
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const sourceDatabase = `snapex_cat_src_${runId}`;
  const bucket = `snapex-cat-store-${runId}`;
  const moto: MotoServer = await startMoto();
  const s3 = new S3Client({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: moto.admin,
    forcePathStyle: true,
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await createPostgresSource(sourceDatabase);
  await createMariaDbSource(sourceDatabase);
  const rdsStack = await startRdsStack({
    name: 'cat',
    configure: (config, accounts) => ({
      ...config,
      sources: [
        ...(config.sources as unknown[]),
        {
          name: 'pgsrc',
          accountId: accounts[0].id,
          engine: 'postgres',
          url: pgUrl(sourceDatabase),
          databases: [sourceDatabase],
        },
        {
          name: 'mysrc',
          accountId: accounts[0].id,
          engine: 'mysql',
          url: MYSQL_URL,
          databases: [sourceDatabase],
        },
        {
          name: 'emptysrc',
          accountId: accounts[0].id,
          engine: 'postgres',
          url: pgUrl(sourceDatabase),
          databases: [`${sourceDatabase}_missing`],
        },
        {
          // A login the server does not know: every snapshot of it fails, saying so.
          name: 'lockedsrc',
          accountId: accounts[0].id,
          engine: 'postgres',
          url: pgUrl(sourceDatabase, 'snapex_no_such_user'),
          databases: [sourceDatabase],
        },
        {
          name: 'autosrc',
          accountId: accounts[0].id,
          engine: 'postgres',
          url: pgUrl(sourceDatabase),
          databases: [sourceDatabase],
          automatedSnapshots: { intervalMinutes: 0.02, retain: 1 },
        },
      ],
      registry: { ...(config.registry as object), maxManualSnapshotsPerAccount: MANUAL_SNAPSHOT_QUOTA },
      snapshotStore: { bucket, prefix: 'snapshots/' },
      aws: {
        endpoint: moto.endpoint,
        forcePathStyle: true,
        serviceCredentials: serviceCredentialsOf(moto.admin),
      },
    }),
  });
  const logger = createLogger('restorer-cat-test', process.env.SNAPEX_TEST_LOG_LEVEL ?? 'silent');
  const restorer: INestApplicationContext = await NestFactory.createApplicationContext(
    RestorerModule.register(rdsStack.config, logger),
    { logger: false },
  );
  await restorer.init();
  const objectBody = async (key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  };
  return {
    rdsStack,
    main: rdsStack.accounts[0],
    other: rdsStack.accounts[1],
    bulk: rdsStack.accounts[2],
    runId,
    bucket,
    sourceDatabase,
    s3,
    objectBody,
    async objectExists(key) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch {
        return false;
      }
    },
    async copyObject(from, to) {
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${from}` }));
    },
    async stop() {
      await restorer.close();
      await rdsStack.stop();
      s3.destroy();
      await moto.stop();
      await dropDatabase(sourceDatabase);
      await withMariaDb((connection) => connection.query(`DROP DATABASE IF EXISTS \`${sourceDatabase}\``));
    },
  };
}

async function createPostgresSource(database: string): Promise<void> {
  await recreateDatabase(database);
  await withPg(pgUrl(database), async (client) => {
    await client.query(`
      CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, ${CUSTOMER_ROWS}) g;
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10, 2), note text);
      INSERT INTO orders SELECT g, 1 + g % ${CUSTOMER_ROWS}, g * 1.25, repeat('x', g % 50) FROM generate_series(1, ${ORDER_ROWS}) g;
      CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;`);
  });
}

export async function withMariaDb<T>(
  work: (connection: Awaited<ReturnType<typeof createConnection>>) => Promise<T>,
  database?: string,
): Promise<T> {
  const connection = await createConnection({ uri: MYSQL_URL, database, multipleStatements: true });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

async function createMariaDbSource(database: string): Promise<void> {
  await withMariaDb((connection) =>
    connection.query(`DROP DATABASE IF EXISTS \`${database}\`; CREATE DATABASE \`${database}\``),
  );
  await withMariaDb(
    (connection) =>
      connection.query(`
        CREATE TABLE customers (id int PRIMARY KEY, name varchar(100) NOT NULL, photo blob);
        CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int, total decimal(10, 2), note text);
        CREATE TABLE audit (order_id bigint, at timestamp DEFAULT CURRENT_TIMESTAMP);
        CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (order_id) VALUES (NEW.id);
        INSERT INTO customers SELECT seq, CONCAT('customer ', seq), UNHEX('00FF10') FROM seq_1_to_${CUSTOMER_ROWS};
        INSERT INTO orders SELECT seq, 1 + seq % ${CUSTOMER_ROWS}, seq * 1.25, REPEAT('y', seq % 50) FROM seq_1_to_${ORDER_ROWS};
        CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;`),
    database,
  );
}

export function tableCountsPostgres(database: string): Promise<Record<string, number>> {
  return withPg(pgUrl(database), async (client) => {
    const { rows } = await client.query(
      `SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM orders)::int AS orders,
              (SELECT count(*) FROM big_orders)::int AS big_orders`,
    );
    return rows[0];
  });
}

export function tableCountsMariaDb(database: string): Promise<Record<string, number>> {
  return withMariaDb(async (connection) => {
    const [rows] = await connection.query(
      `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM orders) AS orders,
              (SELECT count(*) FROM audit) AS audit, (SELECT count(*) FROM big_orders) AS big_orders`,
    );
    return Object.fromEntries(
      Object.entries((rows as Record<string, unknown>[])[0]).map(([k, v]) => [k, Number(v)]),
    );
  }, database);
}

/** Restores a MariaDB SQL dump into a new database with the mariadb client, as a user would. */
export function restoreMariaDbDump(sql: Buffer, database: string): void {
  const url = new URL(MYSQL_URL);
  const connection = [
    `--host=${url.hostname}`,
    `--port=${url.port || '3306'}`,
    `--user=${decodeURIComponent(url.username)}`,
  ];
  execFileSync('mariadb', [
    ...connection,
    '-e',
    `DROP DATABASE IF EXISTS \`${database}\`; CREATE DATABASE \`${database}\``,
  ]);
  execFileSync('mariadb', [...connection, database], { input: sql });
}

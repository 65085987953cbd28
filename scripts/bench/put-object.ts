import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { adminClients } from '../local-stack/export-target';
import { startMoto } from '../local-stack/moto';
import { Measurement, secondsSince } from './measurement';

/** Object sizes of a multipart upload's parts, as the extractor sends them (8 MiB by default). */
const OBJECT_SIZES = [8, 8, 8, 16, 16, 16].map((mebibytes) => mebibytes * 1024 * 1024);

/** Raw PutObject throughput of the S3 endpoint the exports went to: a fresh moto, one object at a time. */
export async function measurePutObject(): Promise<Measurement> {
  const moto = await startMoto();
  const { s3 } = adminClients(moto);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-put' }));
    const bodies = OBJECT_SIZES.map((size) => randomBytes(size));
    const start = process.hrtime.bigint();
    for (const [index, body] of bodies.entries()) {
      await s3.send(new PutObjectCommand({ Bucket: 'bench-put', Key: `object-${index}`, Body: body }));
    }
    return {
      name: `S3 PutObject (moto), ${OBJECT_SIZES.length} objects of 8-16 MiB`,
      seconds: secondsSince(start),
      rows: 0,
      dataBytes: bodies.reduce((sum, body) => sum + body.length, 0),
      outputBytes: null,
      peakRssMiB: {},
    };
  } finally {
    s3.destroy();
    await moto.stop();
  }
}

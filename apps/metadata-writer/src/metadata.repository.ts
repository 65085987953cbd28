import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Inject, Injectable } from '@nestjs/common';
import { AwsClients, exportRoleOf } from '@snapex/aws';
import { TaskSpec } from '@snapex/contracts';

/** Writes metadata objects into the export's bucket as the task's role, encrypted with its key. */
@Injectable()
export class MetadataRepository {
  constructor(@Inject(AwsClients) private readonly aws: AwsClients) {}

  async put(
    spec: TaskSpec,
    key: string,
    body: string | Uint8Array,
    contentType = 'application/json',
  ): Promise<void> {
    await this.aws.forRole(exportRoleOf(spec)).s3.send(
      new PutObjectCommand({
        Bucket: spec.s3Bucket,
        Key: key,
        Body: body,
        ContentLength: Buffer.byteLength(body),
        ContentType: contentType,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: spec.kmsKeyId,
      }),
    );
  }

  async remove(spec: TaskSpec, key: string): Promise<void> {
    await this.aws
      .forRole(exportRoleOf(spec))
      .s3.send(new DeleteObjectCommand({ Bucket: spec.s3Bucket, Key: key }));
  }
}

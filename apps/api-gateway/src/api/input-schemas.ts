import { SourceTypeSchema } from '@snapex/contracts';
import { z } from 'zod';

/** Request bodies of the RDS actions, with RDS's parameter names; unknown parameters are refused. */
export const StartExportTaskBody = z
  .object({
    ExportTaskIdentifier: z.string(),
    SourceArn: z.string(),
    S3BucketName: z.string(),
    IamRoleArn: z.string(),
    KmsKeyId: z.string(),
    S3Prefix: z.string().optional(),
    ExportOnly: z.array(z.string()).optional(),
  })
  .strict();

export const DescribeExportTasksBody = z
  .object({
    ExportTaskIdentifier: z.string().optional(),
    SourceArn: z.string().optional(),
    SourceType: SourceTypeSchema.optional(),
    Filters: z.array(z.object({ Name: z.string(), Values: z.array(z.string()) }).strict()).optional(),
    Marker: z.string().optional(),
    MaxRecords: z.number().int().optional(),
  })
  .strict();

export const CancelExportTaskBody = z.object({ ExportTaskIdentifier: z.string() }).strict();

import {
  DescribeExportTasksInputSchema,
  DescribeFilterSchema,
  InputText,
  StartExportTaskInputSchema,
} from '@snapex/contracts';
import { z } from 'zod';

/** Request bodies of the RDS actions, with RDS's parameter names; unknown parameters are refused. */
export const StartExportTaskBody = StartExportTaskInputSchema.strict();

export const DescribeExportTasksBody = DescribeExportTasksInputSchema.extend({
  Filters: z.array(DescribeFilterSchema.strict()).optional(),
}).strict();

export const CancelExportTaskBody = z.object({ ExportTaskIdentifier: InputText }).strict();

/** `GET /v1/export-tasks/{ExportTaskIdentifier}`: the path's one parameter. */
export const ExportTaskPath = CancelExportTaskBody;

/** snapex's own action: restore a COMPLETE export of the caller's into a database. */
export const RestoreExportTaskBody = z
  .object({
    ExportTaskIdentifier: InputText,
    TargetUrl: z
      .string()
      .regex(/^(postgres|postgresql|mysql|mariadb):\/\//i, 'a postgresql:// or mysql:// URL'),
    Only: z.array(InputText.min(1)).optional(),
    Concurrency: z.number().int().min(1).max(64).optional(),
  })
  .strict();

export const DescribeExportTaskRestoreBody = CancelExportTaskBody;

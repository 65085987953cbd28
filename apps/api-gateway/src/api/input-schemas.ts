import {
  DescribeExportTasksInputSchema,
  DescribeFilterSchema,
  StartExportTaskInputSchema,
} from '@snapex/contracts';
import { z } from 'zod';

/** Request bodies of the RDS actions, with RDS's parameter names; unknown parameters are refused. */
export const StartExportTaskBody = StartExportTaskInputSchema.strict();

export const DescribeExportTasksBody = DescribeExportTasksInputSchema.extend({
  Filters: z.array(DescribeFilterSchema.strict()).optional(),
}).strict();

export const CancelExportTaskBody = z.object({ ExportTaskIdentifier: z.string() }).strict();

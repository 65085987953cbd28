import { z } from 'zod';

/** Its own module so that the models built from it (tasks, snapshots) can import each other safely. */
export const EngineSchema = z.enum(['postgres', 'mysql']);
export type Engine = z.infer<typeof EngineSchema>;

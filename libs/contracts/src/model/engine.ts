import { z } from 'zod';

/**
 * In a module of its own: export-task.ts and snapshot.ts both need it, and snapshot.ts importing it
 * from export-task.ts (which imports snapshot.ts) left it undefined when export-task.ts loaded first.
 */
export const EngineSchema = z.enum(['postgres', 'mysql']);
export type Engine = z.infer<typeof EngineSchema>;

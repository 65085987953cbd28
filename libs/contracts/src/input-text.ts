import { z } from 'zod';

/**
 * C0 and C1 control characters, NUL among them. No RDS parameter may hold one, and PostgreSQL text
 * cannot hold a NUL at all.
 */
export const CONTROL_CHARACTER = /\p{Cc}/u;
export const CONTROL_CHARACTER_PROBLEM = 'must not contain control characters';

/** A string parameter of an action, as callers send it. */
export const InputText = z.string().regex(/^\P{Cc}*$/u, CONTROL_CHARACTER_PROBLEM);

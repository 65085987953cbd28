const TASK_HEX = /^[0-9a-f]{32}$/;

/**
 * Names of a task's scratch databases, `<prefix><task id without hyphens>_<n>`: derived from the task
 * alone, so a redelivered message or a restarted restorer finds the same databases, and a database
 * left on a server names the task it belongs to.
 */
export class ScratchDatabaseNames {
  constructor(readonly prefix: string) {}

  nameFor(taskId: string, ordinal: number): string {
    return `${this.taskPrefix(taskId)}${ordinal}`;
  }

  /** What every scratch database of the task starts with. */
  taskPrefix(taskId: string): string {
    return `${this.prefix}${taskId.replace(/-/g, '').toLowerCase()}_`;
  }

  /** The task a scratch database belongs to; null for a name this scheme did not make. */
  taskIdOf(database: string): string | null {
    if (!database.startsWith(this.prefix)) return null;
    const [hex, ordinal, ...rest] = database.slice(this.prefix.length).split('_');
    if (rest.length > 0 || !TASK_HEX.test(hex ?? '') || !/^\d+$/.test(ordinal ?? '')) return null;
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
  }
}

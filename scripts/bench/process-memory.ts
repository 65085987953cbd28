import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A process's peak resident set (VmHWM) in MiB, or null once it has exited. */
export function peakRssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

let ticksPerSecond: number | null = null;

/** The kernel's clock ticks per second, in which /proc reports CPU time. */
function clockTicks(): number {
  ticksPerSecond ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return ticksPerSecond;
}

/**
 * CPU seconds (user + system) a running process has used, with those of its children that have
 * exited (a service's dump and load tools), or null once it has exited.
 */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // The command name in parentheses may hold spaces: fields are counted after its closing bracket.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0) / clockTicks();
  } catch {
    return null;
  }
}

/** Core-seconds the whole machine spent busy (not idle, not waiting on I/O) since boot. */
export function machineBusySeconds(): number {
  const [, ...times] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = times.map(Number);
  return (user + nice + system + irq + softirq + steal) / clockTicks();
}

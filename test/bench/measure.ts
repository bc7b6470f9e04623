// Peak memory of the current process, for the bench workers: Linux's VmHWM (the kernel's high-water
// mark of the resident set), else a 5 ms sampler of process.memoryUsage().rss.
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

function vmHwmBytes(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resets Linux's high-water mark to the current RSS (writing 5 to clear_refs), when allowed. */
function resetHwm(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export interface Measured<T> {
  value: T;
  ms: number;
  /** Peak RSS during the task minus RSS just before it. */
  peakRssGrowthBytes: number;
  baselineRssBytes: number;
  /** The event loop's delay meanwhile (1 ms resolution), as the extension host would feel it. */
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** CPU time of the process meanwhile, user + system. */
  cpuMs: number;
}

/** Runs `task` and reports its wall time and how much the resident set grew at its peak. */
export async function measure<T>(task: () => Promise<T>): Promise<Measured<T>> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  const kernelPeak = resetHwm() && vmHwmBytes() !== undefined;
  let sampled = baseline;
  const sampler = kernelPeak ? undefined : setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 5);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const cpu = process.cpuUsage();
  const start = performance.now();
  try {
    const value = await task();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const peak = kernelPeak ? vmHwmBytes()! : Math.max(sampled, process.memoryUsage().rss);
    return {
      value,
      ms,
      peakRssGrowthBytes: Math.max(0, peak - baseline),
      baselineRssBytes: baseline,
      eventLoopP99Ms: delay.percentile(99) / 1e6,
      eventLoopMaxMs: delay.max / 1e6,
      cpuMs: (used.user + used.system) / 1000,
    };
  } finally {
    delay.disable();
    if (sampler) clearInterval(sampler);
  }
}

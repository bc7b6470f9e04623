import { z } from 'zod';
import { JOB_MODES, type JobMode } from '../api/schemas';
import { BurstWriter } from '../common/burstWriter';
import { silentLogger, type Logger } from '../common/logger';
import type { StateStorage } from './jobStore';

/**
 * Every billed generation: one entry per create the server accepted, written at acceptance (a job
 * that fails later still counts, marked as failed: it was billed). Kept in global state, so it spans
 * reloads and workspaces. Nothing else is counted: a refused, unsent or dry-run request is not billed.
 */
export const usageEntrySchema = z.object({
  id: z.string(),
  /** When the server accepted it (ms since the epoch). */
  at: z.number(),
  mode: z.enum(JOB_MODES),
  /** The workspace folder the result goes to (its path), as it was named then. */
  workspace: z.string(),
  failed: z.boolean().optional(),
});
export type UsageEntry = z.infer<typeof usageEntrySchema>;

const STORAGE_KEY = 'omniVideo.usage.v1';
/** The entries kept one by one; older ones are folded into `archived` (counts only). */
const MAX_ENTRIES = 20_000;

const archiveSchema = z.object({ count: z.number(), failed: z.number(), byWorkspace: z.record(z.string(), z.number()), byMode: z.record(z.string(), z.number()) });
const storedSchema = z.object({ entries: z.array(z.unknown()), archived: archiveSchema.optional() });
type Archive = z.infer<typeof archiveSchema>;

export interface UsageSummary {
  today: number;
  month: number;
  total: number;
  /** Of the total, generations the server accepted and then failed (billed all the same). */
  failed: number;
  byWorkspace: { workspace: string; count: number }[];
  byMode: { mode: JobMode; count: number }[];
  /** The last 30 local days, oldest first, today last. */
  last30Days: { day: string; count: number }[];
}

const dayFormats = new Map<string | undefined, Intl.DateTimeFormat>();

/** The calendar day of `at` in `timeZone` (the user's own by default), as `YYYY-MM-DD`. */
export function localDay(at: number, timeZone?: string): string {
  // One formatter per time zone: making one costs far more than using it, and the daily limit asks
  // for the day of every entry before each generation.
  let format = dayFormats.get(timeZone);
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = format.formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export class UsageLedger {
  private entries: UsageEntry[] = [];
  private archived: Archive = { count: 0, failed: 0, byWorkspace: {}, byMode: {} };
  private readonly listeners = new Set<() => void>();
  /** The stored value last read or written: while the storage holds that same value, there is nothing new to read. */
  private seen: unknown;
  /** What this window counted or marked and has not written yet: kept through a reload. */
  private readonly unwritten = new Map<string, UsageEntry>();
  private readonly writer = new BurstWriter(
    () => this.writeNow(),
    (error) => this.logger.error(`Could not save the usage ledger: ${(error as Error).message}`),
  );

  constructor(
    private readonly storage: StateStorage,
    private readonly logger: Logger = silentLogger,
    /** The user's time zone (tests set one); undefined is the process's own. */
    private readonly timeZone?: string,
  ) {
    // Read on first use: every operation reloads first, and activation stays cheap.
  }

  /** Reads the ledger again (another window of VS Code may have written it). */
  reload(): void {
    const raw = this.storage.get(STORAGE_KEY);
    if (raw !== undefined && raw === this.seen) return;
    this.seen = raw;
    const stored = storedSchema.safeParse(raw ?? { entries: [] });
    if (!stored.success) {
      this.logger.warn('The usage ledger does not parse; starting a new one.');
      return;
    }
    this.entries = stored.data.entries.flatMap((e) => {
      const parsed = usageEntrySchema.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    });
    if (stored.data.archived) this.archived = stored.data.archived;
    // What this window counted since its last write stays counted, beside what another window wrote.
    for (const entry of this.unwritten.values()) {
      const known = this.entries.find((e) => e.id === entry.id);
      if (!known) this.entries.push(entry);
      else if (entry.failed) known.failed = true;
    }
  }

  /** Resolves once every count so far is written. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Counts a generation the server accepted. */
  record(entry: UsageEntry): void {
    this.reload(); // another window may have counted since
    if (this.entries.some((e) => e.id === entry.id)) return;
    this.entries.push(entry);
    while (this.entries.length > MAX_ENTRIES) this.archive(this.entries.shift()!);
    this.unwritten.set(entry.id, entry);
    this.changed();
  }

  /** Marks a counted generation as failed at the server (it stays counted: it was billed). */
  markFailed(id: string): void {
    this.reload();
    const entry = this.entries.find((e) => e.id === id);
    if (!entry || entry.failed) return;
    entry.failed = true;
    this.unwritten.set(entry.id, entry);
    this.changed();
  }

  /** Generations accepted on the local calendar day of `now`. */
  countOnDay(now: number): number {
    this.reload();
    const day = localDay(now, this.timeZone);
    return this.entries.filter((e) => localDay(e.at, this.timeZone) === day).length;
  }

  summary(now: number): UsageSummary {
    this.reload();
    const today = localDay(now, this.timeZone);
    const month = today.slice(0, 7);
    const days = Array.from({ length: 30 }, (_, i) => localDay(now - (29 - i) * 86_400_000, this.timeZone));
    const perDay = new Map(days.map((d) => [d, 0]));
    const byWorkspace = new Map(Object.entries(this.archived.byWorkspace));
    const byMode = new Map(Object.entries(this.archived.byMode));
    let todayCount = 0;
    let monthCount = 0;
    let failed = this.archived.failed;
    for (const entry of this.entries) {
      const day = localDay(entry.at, this.timeZone);
      if (day === today) todayCount++;
      if (day.startsWith(month)) monthCount++;
      if (perDay.has(day)) perDay.set(day, perDay.get(day)! + 1);
      if (entry.failed) failed++;
      byWorkspace.set(entry.workspace, (byWorkspace.get(entry.workspace) ?? 0) + 1);
      byMode.set(entry.mode, (byMode.get(entry.mode) ?? 0) + 1);
    }
    const sorted = <K extends string>(map: Map<string, number>, key: K) =>
      [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, count]) => ({ [key]: name, count }) as Record<K, string> & { count: number });
    return {
      today: todayCount,
      month: monthCount,
      total: this.archived.count + this.entries.length,
      failed,
      byWorkspace: sorted(byWorkspace, 'workspace'),
      byMode: sorted(byMode, 'mode') as { mode: JobMode; count: number }[],
      last30Days: days.map((day) => ({ day, count: perDay.get(day) ?? 0 })),
    };
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private archive(entry: UsageEntry): void {
    const a = this.archived;
    a.count++;
    if (entry.failed) a.failed++;
    a.byWorkspace[entry.workspace] = (a.byWorkspace[entry.workspace] ?? 0) + 1;
    a.byMode[entry.mode] = (a.byMode[entry.mode] ?? 0) + 1;
  }

  private changed(): void {
    this.writer.request();
    for (const listener of this.listeners) listener();
  }

  /** The ledger as it is now, written once for a burst of counts (BurstWriter). */
  private writeNow(): PromiseLike<void> {
    this.reload(); // another window may have counted meanwhile: both are kept
    this.unwritten.clear();
    const update = this.storage.update(STORAGE_KEY, { entries: this.entries, archived: this.archived });
    // What the storage holds now (VS Code's keeps a copy): the next reload need not parse our own write.
    this.seen = this.storage.get(STORAGE_KEY);
    return update;
  }
}

import type { StateStorage } from '../../src/core/jobs/jobStore';

/** A StateStorage in memory (VS Code's Memento stand-in), copying values as a Memento does. */
export class MemoryStateStorage implements StateStorage {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

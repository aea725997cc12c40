// Fault injection for the emulator: tests and benchmarks queue faults that the next matching requests suffer.
import type { Fault } from './records';

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

/** Faults in injection order; the first one that matches a request applies to it and uses up one of its `times`. */
export class FaultQueue {
  private queued: QueuedFault[] = [];

  add(fault: Fault): void {
    const checked = checkFault(fault);
    this.queued.push({ fault: checked, remaining: checked.times ?? 1 });
  }

  clear(): void {
    this.queued = [];
  }

  /** The fault for this request, if any; `path` is the request path without the context root. */
  take(method: string, path: string): Fault | undefined {
    const index = this.queued.findIndex((q) => q.remaining > 0 && matches(q.fault, method, path));
    if (index < 0) return undefined;
    const entry = this.queued[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queued.splice(index, 1);
    return entry.fault;
  }
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.path === undefined) return true;
  if (typeof fault.path === 'string') return fault.path === path;
  fault.path.lastIndex = 0; // a /g or /y RegExp would otherwise remember where the previous test stopped
  return fault.path.test(path);
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Throws a TypeError naming the bad field, so a typo in a test fails loudly instead of injecting nothing. */
export function checkFault(fault: Fault): Fault {
  if (typeof fault !== 'object' || fault === null) throw new TypeError('A fault must be an object');
  const known = new Set(['method', 'path', 'times', 'latencyMs', 'status', 'body', 'contentType', 'resetAfterBytes', 'bytesPerSecond', 'errorInOk']);
  for (const key of Object.keys(fault)) {
    if (!known.has(key)) throw new TypeError(`Unknown fault field "${key}"`);
  }
  if (fault.method !== undefined && typeof fault.method !== 'string') throw new TypeError('fault.method must be a string');
  if (fault.path !== undefined && typeof fault.path !== 'string' && !(fault.path instanceof RegExp)) {
    throw new TypeError('fault.path must be a string or a RegExp');
  }
  if (fault.times !== undefined && !(fault.times === Infinity || (Number.isInteger(fault.times) && fault.times > 0))) {
    throw new TypeError('fault.times must be a positive integer or Infinity');
  }
  if (fault.latencyMs !== undefined && !isNonNegative(fault.latencyMs)) throw new TypeError('fault.latencyMs must be >= 0');
  if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new TypeError('fault.status must be an HTTP status code (100-599)');
  }
  if (fault.body !== undefined && typeof fault.body !== 'string') throw new TypeError('fault.body must be a string');
  if (fault.contentType !== undefined && typeof fault.contentType !== 'string') {
    throw new TypeError('fault.contentType must be a string');
  }
  if (fault.resetAfterBytes !== undefined && !(Number.isInteger(fault.resetAfterBytes) && fault.resetAfterBytes >= 0)) {
    throw new TypeError('fault.resetAfterBytes must be an integer >= 0');
  }
  if (fault.errorInOk !== undefined && typeof fault.errorInOk !== 'string') throw new TypeError('fault.errorInOk must be a string');
  if (fault.bytesPerSecond !== undefined && !(isNonNegative(fault.bytesPerSecond) && fault.bytesPerSecond > 0)) {
    throw new TypeError('fault.bytesPerSecond must be > 0');
  }
  return { ...fault };
}

/**
 * A fault sent as JSON to the control API. JSON has no RegExp and no Infinity, so `pathRegex` (a RegExp source)
 * and `times: "Infinity"` stand in for them.
 */
export function faultFromJson(value: unknown): Fault {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('The fault must be a JSON object');
  const { pathRegex, times, ...rest } = value as Record<string, unknown>;
  const fault = { ...rest } as Fault & Record<string, unknown>;
  if (pathRegex !== undefined) {
    if (typeof pathRegex !== 'string') throw new TypeError('pathRegex must be a string');
    if (fault.path !== undefined) throw new TypeError('Give either path or pathRegex, not both');
    try {
      fault.path = new RegExp(pathRegex);
    } catch {
      throw new TypeError('pathRegex is not a valid regular expression');
    }
  }
  if (times === 'Infinity') fault.times = Infinity;
  else if (times !== undefined && times !== null) fault.times = times as number;
  return checkFault(fault);
}

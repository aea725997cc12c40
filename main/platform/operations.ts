// Long operations (uploads, downloads) are cancellable by id from the renderer or by quitting the app.
import { fail } from '../core/errors';

export class OperationRegistry {
  private readonly running = new Map<string, AbortController>();

  start(operationId: string): AbortSignal {
    if (this.running.has(operationId)) fail('validation', `Operation ${operationId} is already running.`);
    const controller = new AbortController();
    this.running.set(operationId, controller);
    return controller.signal;
  }

  cancel(operationId: string): boolean {
    const controller = this.running.get(operationId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  finish(operationId: string): void {
    this.running.delete(operationId);
  }

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }

  /** Runs `work` under a fresh signal and always forgets the operation afterwards. */
  async run<T>(operationId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.start(operationId);
    try {
      return await work(signal);
    } finally {
      this.finish(operationId);
    }
  }
}

// Passphrases typed for queued sends: this process's memory only, never written anywhere (shared/style.md point 8).
export class PassphraseMemory {
  private readonly byEntry = new Map<string, string>();

  get(entryId: string): string | undefined {
    return this.byEntry.get(entryId);
  }

  has(entryId: string): boolean {
    return this.byEntry.has(entryId);
  }

  remember(entryId: string, passphrase: string | undefined): void {
    if (passphrase !== undefined) this.byEntry.set(entryId, passphrase);
  }

  forget(entryId: string): void {
    this.byEntry.delete(entryId);
  }

  /** Forget every passphrase whose entry is gone or matches `belongsTo` (e.g. its profile was removed). */
  forgetWhere(belongsTo: (entryId: string) => boolean): void {
    for (const id of [...this.byEntry.keys()]) if (belongsTo(id)) this.byEntry.delete(id);
  }
}

// Pass schedule times are epoch milliseconds with 0 meaning "now" / "no end" (engagement-api.md decision 6);
// the editor shows them as <input type="datetime-local"> values in the user's own time zone.

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms -> "YYYY-MM-DDTHH:mm" in local time; '' for 0 or an invalid number. */
export function epochToLocalInput(epochMs: number): string {
  if (!Number.isFinite(epochMs) || epochMs <= 0) return '';
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "YYYY-MM-DDTHH:mm[:ss]" in local time -> epoch ms; '' -> 0. Returns undefined for text that is not a date. */
export function localInputToEpoch(value: string): number | undefined {
  if (value.trim() === '') return 0;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const time = date.getTime();
  return Number.isNaN(time) ? undefined : time;
}

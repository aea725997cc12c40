// V8 tuning for the way this tool spends CPU: short bursts of small requests (a batch of a thousand pass updates
// right after `engagement-desk` starts) rather than long-running hot loops.
//
// Node 20's V8 (11.x) has no mid-tier compiler switched on, so after a few hundred sends it hands the request path
// (ours and undici's) to TurboFan, whose background compilation then competes with the network, the server and the
// sends themselves for the cores, and whose code arrives when the batch is nearly over. Letting a function run 16
// times longer before it is optimised keeps short bursts on the quick baseline tiers and still optimises whatever
// stays hot. Measured with `npm run bench` on a 2-core machine: row 3 (1,000 sends in a fresh process) about 330 ms
// before, 200 to 220 ms after. The price is paid by long CPU-bound loops, which reach optimised code later: row 4b
// (checking a 20 MB pass of 1,000 entries) went from about 440 to 550 ms, within its 1 s target; a typical pass
// (6 ms) and a .p12 (26 ms) are unchanged.
//
// Newer V8 (Node 22 and later, and the Node inside Electron) tiers up through Maglev and has no such flag, so
// nothing is changed there: an unknown flag would only print an error.

import { setFlagsFromString } from 'node:v8';

/** The flags for this V8, by its major version; empty where the tuning does not apply. */
export function shortBurstFlags(v8Version: string): string[] {
  const major = Number(v8Version.split('.')[0]);
  return major === 11 ? ['--interrupt-budget=1081344'] : [];
}

/** Applies shortBurstFlags to this process; call first thing at start-up, before the first request. */
export function tuneV8ForShortBursts(): string[] {
  const flags = shortBurstFlags(process.versions.v8);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}

// V8 tuning for the way this tool spends CPU: short bursts of small requests (a batch of a thousand pass updates
// right after `engagement-desk` starts) rather than long-running hot loops.
//
// After a few hundred sends V8 hands the request path (ours and undici's) to TurboFan, whose background
// compilation then competes with the network, the server and the sends themselves for the cores, and whose code
// arrives when the batch is nearly over. Letting a function run 16 times longer before TurboFan takes it keeps
// short bursts on the quicker tiers and still optimises whatever stays hot.
//
// - Node 20's V8 (11.x) has no mid-tier compiler switched on; its tier-up is driven by the interrupt budget.
//   Measured with `npm run bench` on a 2-core machine: row 3 (1,000 sends in a fresh process) about 330 ms before,
//   200 to 220 ms after; row 4b (checking a 20 MB pass of 1,000 entries) went from about 440 to 550 ms.
// - Node 24's V8 (13.x) tiers up through Maglev (after 400 calls) and then TurboFan (after 3,000); it has no
//   --interrupt-budget. Measured again (issue #19) with BENCH_ONLY=batch on the same 2 cores, busy with other
//   work: the first batch's rate was 1.50x behind curl's without a flag and 1.17x with TurboFan's count at 48,000
//   (16 times the default, Maglev left as is). Maglev compiles quickly, so it is not delayed.
// - Other V8 lines (Electron 45's 14.x included) are left alone until measured: an unknown flag would only print
//   an error.

import { setFlagsFromString } from 'node:v8';

/** The flags for this V8, by its major version; empty where the tuning has not been measured. */
export function shortBurstFlags(v8Version: string): string[] {
  const major = Number(v8Version.split('.')[0]);
  if (major === 11) return ['--interrupt-budget=1081344'];
  if (major === 13) return ['--invocation-count-for-turbofan=48000'];
  return [];
}

/** Applies shortBurstFlags to this process; call before the burst's first request (the app at start-up, the CLI
 * when a batch starts). */
export function tuneV8ForShortBursts(): string[] {
  const flags = shortBurstFlags(process.versions.v8);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}

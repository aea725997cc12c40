// Row 5: the drafts store with few and with many drafts. Saving must not depend on how many drafts exist, and
// the list must stay quick at 10,000.
import { round, runOurs, toMB, type BenchConfig, type BenchRow } from '../lib';
import { join } from 'node:path';

interface DraftResult {
  populateMs: number;
  saveMs: number;
  listWarmMs: number;
  listColdMs: number;
  samples: { save: number[]; listWarm: number[]; listCold: number[] };
}

export async function draftRows(config: BenchConfig): Promise<BenchRow[]> {
  const few = 10;
  const many = config.quick ? 200 : 10_000;
  const { report } = await runOurs('drafts', { dir: join(config.workDir, 'drafts'), counts: [few, many], iterations: config.quick ? 5 : 40 });
  const results = report.results as Record<string, DraftResult>;
  const small = results[String(few)]!;
  const large = results[String(many)]!;
  const rss = toMB(report.maxRssBytes);
  const n = many.toLocaleString('en-US');
  config.log(`drafts: populated ${many} drafts in ${round(large.populateMs / 1000, 1)} s`);
  return [
    {
      id: 'drafts-save',
      scenario: `5a. save one draft with ${n} stored`,
      unit: 'ms',
      ours: round(large.saveMs, 2),
      reference: round(small.saveMs, 2),
      referenceLabel: `the same save with ${few} stored`,
      ratio: round(large.saveMs / small.saveMs, 2),
      oursPeakRssMB: rss,
      target: `<= 2x the save with ${few}`,
      pass: large.saveMs <= 2 * small.saveMs,
      runs: large.samples.save.length,
      samples: { ours: large.samples.save.map((v) => round(v, 2)), reference: small.samples.save.map((v) => round(v, 2)) },
      notes: 'each save writes a temp file, fsyncs it, renames it and fsyncs the folder',
    },
    {
      id: 'drafts-list',
      scenario: `5b. list all ${n} drafts (app running)`,
      unit: 'ms',
      ours: round(large.listWarmMs, 2),
      reference: round(small.listWarmMs, 2),
      referenceLabel: `the same list with ${few}`,
      oursPeakRssMB: rss,
      target: '< 200 ms',
      pass: large.listWarmMs < 200,
      runs: large.samples.listWarm.length,
      samples: { ours: large.samples.listWarm.map((v) => round(v, 2)), reference: small.samples.listWarm.map((v) => round(v, 2)) },
    },
    {
      id: 'drafts-list-cold',
      scenario: `5c. open the store and list ${n} drafts (app start)`,
      unit: 'ms',
      ours: round(large.listColdMs, 2),
      reference: round(small.listColdMs, 2),
      referenceLabel: `the same with ${few}`,
      oursPeakRssMB: rss,
      target: '< 200 ms',
      pass: large.listColdMs < 200,
      runs: large.samples.listCold.length,
      samples: { ours: large.samples.listCold.map((v) => round(v, 2)), reference: small.samples.listCold.map((v) => round(v, 2)) },
    },
  ];
}

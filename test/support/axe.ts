// axe-core in the browser suite (issue #21): injected into the page under test and run over the whole document.
// It comes from node_modules (axe-core, a devDependency); ENGAGEMENT_DESK_AXE_PATH names another axe.min.js.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export type AxeImpact = 'minor' | 'moderate' | 'serious' | 'critical';

export interface AxeViolation {
  id: string;
  impact: AxeImpact | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let source: string | undefined;

function axeSource(): string {
  if (source === undefined) {
    let path = process.env.ENGAGEMENT_DESK_AXE_PATH;
    if (!path) {
      try {
        path = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
      } catch {
        throw new Error('axe-core is not installed: it is a devDependency of this project (npm install --save-dev axe-core).');
      }
    }
    source = readFileSync(path, 'utf8');
  }
  return source;
}

/** Runs axe over the page as it is now (WCAG 2.x A/AA and best practices) and returns its violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // page.evaluate with a string goes through the DevTools protocol, which the page's CSP does not govern.
  const loaded = await page.evaluate('typeof globalThis.axe === "object"');
  if (!loaded) await page.evaluate(axeSource());
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      // Experimental in axe, so off unless named: a spoken name without the visible words (issue #21, point 8).
      rules: { 'label-content-name-mismatch': { enabled: true } },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** Violations counted by impact, across every state recorded. */
export class AxeTally {
  readonly byImpact: Record<AxeImpact, number> = { minor: 0, moderate: 0, serious: 0, critical: 0 };
  readonly blocking: string[] = [];
  readonly rules = new Map<string, number>();
  /** The states looked at, so a summary over none cannot pass for a clean one. */
  states = 0;

  record(state: string, violations: AxeViolation[]): void {
    this.states += 1;
    for (const violation of violations) {
      const impact = violation.impact ?? 'minor';
      this.byImpact[impact] += violation.nodes.length;
      this.rules.set(`${impact} ${violation.id}`, (this.rules.get(`${impact} ${violation.id}`) ?? 0) + violation.nodes.length);
      if (impact === 'serious' || impact === 'critical') {
        this.blocking.push(`${state}: ${impact} ${violation.id} (${violation.help}) at ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }
    }
  }
}

// Where the outcome of a send appears (issue #21): always in the tree as a polite live region, so what lands in it
// is announced, and scrolled into view each time a new outcome arrives, so it is never left below the fold.
import { useEffect, useRef, type ReactNode } from 'react';

export function OutcomeRegion({ outcome, children, testId }: { outcome: unknown; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome !== undefined) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [outcome]);
  return (
    <div ref={ref} className="outcome-region" aria-live="polite" data-testid={testId}>
      {children}
    </div>
  );
}

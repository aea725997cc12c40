// Every row of the bad-input catalogue: the base rows (cases.ts) and the hostile-input rows of issue #18 (hostile/).
import { BASE_BAD_INPUTS, type BadInput } from './cases';
import { CLI_SECRETS_INPUTS } from './cli-secrets';
import { P12_LEGACY_INPUTS } from './p12-legacy';
import { HOSTILE_BOUNDS_INPUTS } from './hostile/bounds';
import { HOSTILE_DOWNLOADS_INPUTS } from './hostile/downloads';
import { HOSTILE_ORIGIN_INPUTS } from './hostile/origin';
import { HOSTILE_TERMINAL_INPUTS } from './hostile/terminal';
import { ADMIN_BAD_INPUTS } from './admin';
import { REAL_SERVER_INPUTS } from './real-server';

export const BAD_INPUTS: BadInput[] = [
  ...BASE_BAD_INPUTS,
  ...HOSTILE_ORIGIN_INPUTS,
  ...HOSTILE_DOWNLOADS_INPUTS,
  ...HOSTILE_BOUNDS_INPUTS,
  ...HOSTILE_TERMINAL_INPUTS,
  ...CLI_SECRETS_INPUTS,
  ...P12_LEGACY_INPUTS,
  ...ADMIN_BAD_INPUTS,
  ...REAL_SERVER_INPUTS,
];

// Where Engagement Desk keeps its data. The CLI must find the same folder as the app, so this mirrors what
// Electron's app.getPath('userData') gives for the product name "Engagement Desk" on each OS, and the app sets
// userData to this path at start-up so the two can never drift apart.
import { homedir } from 'node:os';
import { join, win32, posix } from 'node:path';

export const PRODUCT_NAME = 'Engagement Desk';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env.ENGAGEMENT_DESK_HOME?.trim();
  if (override) return override;
  const home = env.HOME || env.USERPROFILE || homedir();
  switch (platform) {
    case 'win32':
      return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    case 'darwin':
      return posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME);
  }
}

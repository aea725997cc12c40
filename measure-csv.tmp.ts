import { readRecipientsFile } from './main/sending/recipients-file';
const t = performance.now();
try { await readRecipientsFile('/tmp/bounds-measure/1m.csv'); } catch (e) { console.log((e as Error).message); }
console.log('ms', (performance.now() - t).toFixed(0), 'rss MB', (process.memoryUsage().rss / 1048576).toFixed(0));

// The emulator as its own process for the benchmark (bundled to out/bench/emulator-process.js): prints its URL as
// one JSON line, serves until SIGTERM. Being separate, it neither shares our event loop nor counts in our memory.
import { startEmulator } from '../main/emulator/server';

const { dataDir } = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string };
const emulator = await startEmulator({ dataDir, port: 0 });
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

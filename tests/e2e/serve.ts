/** Run a Jibao server for looking at the UI by hand: `npx tsx tests/e2e/serve.ts [port] [dataDir]`. */
import { startJibao } from './server.js';

const port = Number(process.argv[2] ?? 3100);
const dataDir = process.argv[3];
const s = await startJibao({ port, dataDir, liveWeb: true });
console.log(`Jibao UI: ${s.url}`);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    void s.stop().then(() => process.exit(0));
  });

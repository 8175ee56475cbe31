// npm run audit:verify — walk the registration log's hash chains and name the first broken entry.

import { startEmbedded } from '../../db/embedded.js';
import { createDb, createPool } from '../../db/index.js';
import { loadConfig } from '../../server/config.js';
import { systemClock } from '../shared/clock.js';
import { verifyAuditLog } from './audit.js';

const config = loadConfig();
const embedded = config.databaseUrl ? null : await startEmbedded(config.dataDir);
const pool = createPool(config.databaseUrl ?? embedded!.url, 2);
try {
  const r = await verifyAuditLog({ actor: null, tx: createDb(pool), clock: systemClock, lang: 'zh-CN' });
  if (r.ok)
    console.log(
      `登记簿完整：已校验 ${r.checked} 条。/ registration log intact: ${r.checked} entries checked`,
    );
  else
    console.log(
      `登记簿被改动：第一条异常记录 id=${r.firstBrokenId}（已校验 ${r.checked} 条）/ first broken entry ${r.firstBrokenId}`,
    );
  process.exitCode = r.ok ? 0 : 1;
} finally {
  await pool.end();
  await embedded?.stop();
}

// npm run audit:verify [-- --public-key FILE.pub …] [--checkpoints FILE.jsonl]
// Walk the registration log's hash chains and compare it with the signed checkpoints, checking their signatures
// with the public key only (an auditor needs no private key). Exit code 0: intact; 1: problems found.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbedded } from '../db/embedded.js';
import { createDb, createPool } from '../db/index.js';
import { CHECKPOINT_FILE, loadPublicKeys } from '../floor/checkpoints.js';
import { systemClock } from '../floor/clock.js';
import { verifyAuditLog } from '../floor/verify.js';
import { loadConfig } from './config.js';

const { values } = parseArgs({
  options: {
    'public-key': { type: 'string', multiple: true },
    checkpoints: { type: 'string' },
  },
});
const config = loadConfig();
const keyFile = config.auditKeyFile ?? path.join(config.dataDir, 'audit-key.pem');
const keyFiles = values['public-key'] ?? [`${keyFile}.pub`].filter((f) => fs.existsSync(f));
const checkpointFile =
  values.checkpoints ??
  path.join(config.auditCheckpointDir ?? path.join(config.dataDir, 'audit'), CHECKPOINT_FILE);
const trust = {
  publicKeys: loadPublicKeys(keyFiles),
  checkpointFile: fs.existsSync(checkpointFile) ? checkpointFile : null,
};
if (keyFiles.length === 0)
  console.error(
    '警告：没有公钥，无法校验检查点签名 / WARNING: no public key given, checkpoint signatures cannot be checked',
  );
if (!trust.checkpointFile)
  console.error(
    `警告：找不到检查点文件 ${checkpointFile} / WARNING: no checkpoint file outside the database`,
  );

const embedded = config.databaseUrl ? null : await startEmbedded(config.dataDir);
const pool = createPool(config.databaseUrl ?? embedded!.url, 2);
try {
  const r = await verifyAuditLog(
    { actor: null, tx: createDb(pool), clock: systemClock, lang: 'zh-CN' },
    {
      trust,
      onProgress: (done, total) => process.stderr.write(`\r${done}/${total}`),
    },
  );
  process.stderr.write('\n');
  if (r.ok)
    console.log(
      `登记簿完整：已校验 ${r.checked} 条，检查点 ${r.checkpoints.count} 个。/ registration log intact: ${r.checked} entries, ${r.checkpoints.count} checkpoints checked`,
    );
  else {
    console.log(
      `登记簿被改动：${r.problemCount} 处问题，第一条异常记录 id=${r.firstBrokenId}（已校验 ${r.checked} 条）/ ${r.problemCount} problems, first broken entry ${r.firstBrokenId}`,
    );
    for (const p of r.problems) console.log(JSON.stringify(p));
  }
  process.exitCode = r.ok ? 0 : 1;
} finally {
  await pool.end();
  await embedded?.stop();
}

import { definePolicy } from '../../floor/policy.js';

/**
 * Accountability (SPEC §1, §4): the registration log is verified by the offices that answer for it and by the
 * auditor (三员分立); an administrator reads the streams of the units and people of their subtree, the auditor
 * every stream, anyone the streams of events they see. Notices (通报) with their deductions are issued by the
 * information section (editor) or a leader; statistics, rankings and notices are read by everyone in the tree
 * they cover (lists scoped in SQL; a record outside it is 404).
 */
export const accountabilityPolicy = definePolicy('accountability', {
  verifyLog: { roles: ['admin', 'leader', 'editor', 'principal', 'auditor'] },
  /** `GET /api/audit/log`: an event's stream for whoever sees the event; other streams need `readStreams` */
  readLog: { roles: 'signed-in' },
  readStreams: { roles: ['admin', 'auditor'] },
  /** 倒查 of an event, its findings: whoever sees the event */
  trace: { roles: 'signed-in' },
  /** 瞒报、谎报、漏报 findings */
  recordFinding: { roles: ['editor', 'leader'] },
  readStats: { roles: 'signed-in' },
  readNotices: { roles: 'signed-in' },
  issueNotice: { roles: ['editor', 'leader'] },
});

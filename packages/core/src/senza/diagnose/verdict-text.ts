import type { Verdict } from './classify.js';

/** A verdict as text: the code and one line, the evidence indented, the fix and the next command. */
export function formatVerdict(v: Verdict): string[] {
  return [
    `${v.code}: ${v.summary}`,
    '  evidence:',
    ...v.evidence.map((l) => `    ${l}`),
    `  fix: ${v.fix}`,
    `  next: ${v.next}`,
  ];
}

/** A verdict as JSON (`-o json`, the message's data): stable keys, evidence as lines and as data. */
export function verdictJson(v: Verdict): Record<string, unknown> {
  return {
    code: v.code,
    summary: v.summary,
    evidence: v.evidence,
    fix: v.fix,
    next: v.next,
    data: v.data,
  };
}

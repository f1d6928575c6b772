/**
 * The rollout record, pure: the state of a running rollout as the TXT record
 * `_senza-rollout.<main domain>`, kept in the hosted zone of the domain's weighted records and
 * written in the same ChangeResourceRecordSets batch as every weight change.
 *
 * Encoding: the record is compact JSON (ASCII only: other characters are JSON `\u` escapes), cut
 * into character strings of at most 255 characters (Route53's limit per TXT string), `"` and `\`
 * escaped as Route53's TXT format wants them. A value holds as many strings as fit in 4,000
 * characters (Route53's limit per value), counting the escapes; the first string of every value is its position
 * `i/n`, because the values of a record set are a set, unordered.
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecord.html,
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html#TXTFormat)
 */
import { normalizeDnsName } from '../../aws/dns-names.js';
import type { DomainWeights, TrafficVersion } from '../traffic/traffic-plan.js';
import { parseSteps } from './rollout-spec.js';
import { planStepWeights } from './rollout-steps.js';
import type { Verdict } from './verdict.js';

export const RECORD_PREFIX = '_senza-rollout.';
/** Route53: each character string of a TXT value has at most 255 characters. */
export const TXT_STRING_MAX = 255;
/** Route53: a value has at most 4,000 characters. */
export const VALUE_MAX = 4000;
/** Verdicts kept in the record (the full history goes to the NDJSON output). */
export const HISTORY_MAX = 8;
export const RECORD_TTL = 60;

export type RolloutStatus = 'running' | 'paused';

export interface HistoryEntry {
  /** Step index. */
  step: number;
  /** ISO time of the evaluation. */
  at: string;
  verdict: Verdict;
  /** Failed or open gates, by their text. */
  gates?: string[];
}

export interface RolloutRecord {
  /** Format version of the record. */
  format: 1;
  /** A random id of this rollout. */
  id: string;
  /** The stack name without version (`myapp`). */
  name: string;
  /** The target's SetIdentifier (`myapp-v2`) and version. */
  target: string;
  version: string;
  /** The weights of every record of every main domain at the start: what a revert writes back. */
  start: DomainWeights[];
  /** The versions known at the start (their order decides the compensation of every step's plan). */
  versions: TrafficVersion[];
  /** The options, as given (texts), so that --resume and --status need nothing else. */
  spec: {
    steps: string;
    bake: string;
    finalBake: string;
    gates: string[];
    minRequests: number;
    interval: string;
    failureLimit: number;
    onInconclusive: 'pause' | 'rollback';
  };
  /** The current step (index into the steps) and when its weights were set (ISO). */
  step: number;
  stepStartedAt: string;
  /** Failed evaluations of the current step. */
  failures: number;
  status: RolloutStatus;
  /** Why the rollout is paused. */
  reason?: string;
  history: HistoryEntry[];
}

/** `_senza-rollout.myapp.zo.ne.` */
export function rolloutRecordName(domain: string): string {
  return `${RECORD_PREFIX}${normalizeDnsName(domain)}`;
}

/** JSON with every non-ASCII character as a `\u` escape. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Route53's TXT escaping of one character string. */
function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Reads the character strings of one TXT value (`"a" "b\"c"`). */
export function parseTxtStrings(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    if (value[i] === ' ') {
      i++;
      continue;
    }
    if (value[i] !== '"') throw new Error(`not a quoted TXT string at ${i}: ${value}`);
    let s = '';
    i++;
    while (i < value.length && value[i] !== '"') {
      if (value[i] === '\\') {
        const octal = /^\\(\d{3})/.exec(value.slice(i));
        if (octal) {
          s += String.fromCharCode(Number.parseInt(octal[1], 8));
          i += 4;
          continue;
        }
        i++;
      }
      s += value[i];
      i++;
    }
    if (value[i] !== '"') throw new Error(`unterminated TXT string: ${value}`);
    i++;
    out.push(s);
  }
  return out;
}

/** The TXT values of a record: `"i/n" "chunk" "chunk" …`, every string ≤ 255 characters. */
export function encodeRolloutRecord(record: RolloutRecord): string[] {
  const json = asciiJson(record);
  const chunks: string[] = [];
  for (let i = 0; i < json.length; i += TXT_STRING_MAX) chunks.push(json.slice(i, i + TXT_STRING_MAX));
  // Room for the position string (`"999/999" `) in every value.
  const room = VALUE_MAX - 10;
  const groups: string[][] = [];
  let length = room;
  for (const chunk of chunks.map(quote)) {
    if (length + 1 + chunk.length > room) {
      groups.push([]);
      length = 0;
    }
    groups[groups.length - 1].push(chunk);
    length += 1 + chunk.length;
  }
  return groups.map((g, i) => [quote(`${i}/${groups.length}`), ...g].join(' '));
}

/** The record from its TXT values (in any order); throws when they are not a complete record. */
export function decodeRolloutRecord(values: string[]): RolloutRecord {
  const parts = values.map((v) => {
    const [position, ...chunks] = parseTxtStrings(v);
    const m = /^(\d+)\/(\d+)$/.exec(position ?? '');
    if (!m) throw new Error(`not a rollout record value: ${v.slice(0, 40)}`);
    return { index: Number(m[1]), count: Number(m[2]), text: chunks.join('') };
  });
  parts.sort((a, b) => a.index - b.index);
  const count = parts[0]?.count ?? 0;
  if (count !== parts.length || parts.some((p, i) => p.index !== i || p.count !== count)) {
    throw new Error('the rollout record is incomplete');
  }
  const record = JSON.parse(parts.map((p) => p.text).join('')) as RolloutRecord;
  if (record.format !== 1) throw new Error(`unknown rollout record format ${String(record.format)}`);
  return record;
}

/** The record with an evaluation appended to its history (the newest {@link HISTORY_MAX} are kept). */
export function withHistory(record: RolloutRecord, entry: HistoryEntry): RolloutRecord {
  return { ...record, history: [...record.history, entry].slice(-HISTORY_MAX) };
}

/** The weights the record's step `index` sets (planned from the start weights, as at the start). */
export function recordStepWeights(record: RolloutRecord, index = record.step): DomainWeights[] {
  const steps = parseSteps(record.spec.steps);
  return planStepWeights(record.start, record.versions, record.target, [steps[index].percentage])[0].domains;
}

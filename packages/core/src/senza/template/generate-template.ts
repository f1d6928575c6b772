import { type IoHost, silentHost } from '../../io/messages.js';
import { AccountFacts, type AccountFactsSnapshot, type FactNeed } from './account-facts.js';
import {
  accountInfoNeedsOf,
  type CompiledStack,
  compileTemplate,
  componentNeedsOf,
  prepareDefinition,
  type TemplateRequest,
} from './template.js';

/** Where account facts come from: AWS (fetchAccountFacts) or, in tests, a fixed snapshot. */
export type FactSource = (needs: FactNeed[]) => Promise<Partial<AccountFactsSnapshot>>;

/** A fact source over a fixed snapshot (tests, offline use). */
export function snapshotSource(snapshot: Partial<AccountFactsSnapshot>): FactSource {
  return async () => snapshot;
}

/**
 * Definition → CloudFormation template: collect what the definition needs to know about the
 * account, fetch it (placeholders first, then everything the components need, each in parallel),
 * then compile without I/O.
 */
export async function generateTemplate(
  request: TemplateRequest,
  source: FactSource,
  host: IoHost = silentHost,
): Promise<CompiledStack> {
  const snapshot: AccountFactsSnapshot = { region: request.region };
  const firstNeeds = accountInfoNeedsOf(request);
  if (firstNeeds.length > 0) Object.assign(snapshot, await source(firstNeeds), { region: request.region });
  let facts = new AccountFacts({ ...snapshot });
  const prepared = prepareDefinition(request, facts);
  for (const message of prepared.messages) host.notify(message);
  const more = componentNeedsOf(prepared);
  if (more.length > 0) {
    const fetched = await source(more);
    facts = new AccountFacts(mergeSnapshots(snapshot, fetched));
  }
  host.notify({ level: 'debug', code: 'senza.facts', text: `account facts: ${JSON.stringify(facts.snapshot)}` });
  return compileTemplate(prepared, facts, host);
}

function mergeSnapshots(a: AccountFactsSnapshot, b: Partial<AccountFactsSnapshot>): AccountFactsSnapshot {
  const out: AccountFactsSnapshot = { ...a };
  for (const [k, v] of Object.entries(b) as [keyof AccountFactsSnapshot, unknown][]) {
    if (v === undefined || k === 'region') continue;
    const prev = out[k];
    // Keyed facts (stacks, resources, role policies) from both rounds are kept.
    if (prev && typeof prev === 'object' && !Array.isArray(prev) && v && typeof v === 'object' && !Array.isArray(v)) {
      (out as unknown as Record<string, unknown>)[k] = { ...prev, ...v };
    } else (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}

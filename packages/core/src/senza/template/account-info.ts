import type { AccountFacts, FactNeed } from './account-facts.js';

/** The facts each `{{AccountInfo.X}}` placeholder needs. */
const NEEDS: Record<string, FactNeed[]> = {
  Region: [],
  AccountID: [{ kind: 'accountId' }],
  AccountAlias: [{ kind: 'accountAlias' }],
  TeamID: [{ kind: 'accountAlias' }],
  Domain: [{ kind: 'hostedZones' }],
  VpcID: [{ kind: 'vpcs' }],
  MintBucket: [{ kind: 'accountAlias' }, { kind: 'accountId' }, { kind: 'buckets' }],
};

/** Needs for the `AccountInfo.*` names among placeholder names (others are reported when rendering). */
export function accountInfoNeeds(placeholders: Iterable<string>): FactNeed[] {
  const out: FactNeed[] = [];
  for (const name of placeholders) {
    const [root, key] = name.split('.');
    if (root === 'AccountInfo' && key in NEEDS) out.push(...NEEDS[key]);
  }
  return out;
}

/**
 * The `AccountInfo` object of the placeholder context. Values are computed on first access, so a
 * problem with a fact (e.g. several hosted zones for Domain) surfaces only if the definition uses it.
 */
export function accountInfoContext(facts: AccountFacts, placeholders: Iterable<string>): Record<string, unknown> {
  const used = new Set<string>();
  for (const name of placeholders) {
    const [root, key] = name.split('.');
    if (root === 'AccountInfo' && key in NEEDS) used.add(key);
  }
  const getters: Record<string, () => unknown> = {
    Region: () => facts.region,
    AccountID: () => facts.accountId(),
    AccountAlias: () => facts.accountAlias(),
    TeamID: () => facts.teamId(),
    Domain: () => facts.domain(),
    VpcID: () => facts.vpcId(),
    MintBucket: () => facts.mintBucket(),
  };
  const ctx: Record<string, unknown> = {};
  for (const key of new Set(['Region', ...used])) {
    let cached: { v: unknown } | undefined;
    Object.defineProperty(ctx, key, {
      enumerable: true,
      get: () => {
        cached ??= { v: getters[key]() };
        return cached.v;
      },
    });
  }
  return ctx;
}

import type { ToolConfig } from '../../config/tool-config.js';
import { UsageError } from '../../errors.js';

/**
 * Whose Taupage AMIs `senza` may choose when no `ImageId` is given. Without `Owners`, DescribeImages
 * covers every public AMI of the region, and any AWS account can publish a `Taupage-Public-AMI-…` image
 * with a newer name (AMI name squatting). The default trusts the account's own images; the account
 * that publishes Taupage (or shares it with this account) is added by configuration.
 */
export const DEFAULT_TAUPAGE_OWNERS: readonly string[] = ['self'];

const OWNER = /^(self|amazon|\d{12})$/;

/**
 * The trusted owners from senza's config: `SENZA_TAUPAGE_OWNERS` (overlaid as `taupage_owners`), then
 * `taupage: {owners: …}` in the file (what `senza config taupage.owners …` writes): account ids, `self`
 * or `amazon`, comma-separated or a YAML list. Unset or empty: {@link DEFAULT_TAUPAGE_OWNERS}.
 */
export function taupageOwnersFrom(config: ToolConfig): string[] {
  const section =
    config.taupage && typeof config.taupage === 'object' ? (config.taupage as Record<string, unknown>) : {};
  const raw = config.taupage_owners ?? section.owners;
  const given = (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(','))
    .map((o) => o.trim())
    .filter((o) => o !== '');
  if (given.length === 0) return [...DEFAULT_TAUPAGE_OWNERS];
  const invalid = given.filter((o) => !OWNER.test(o));
  if (invalid.length > 0) {
    throw new UsageError(`Invalid Taupage AMI owner ${invalid.map((o) => JSON.stringify(o)).join(', ')}`, {
      code: 'senza.taupage-owners-invalid',
      hint: 'Set SENZA_TAUPAGE_OWNERS or `senza config taupage.owners` to 12-digit AWS account ids, self or amazon, comma-separated (e.g. self,123456789012).',
    });
  }
  return [...new Set(given)];
}

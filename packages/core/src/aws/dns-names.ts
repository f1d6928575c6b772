/** DNS names as Route53 holds them: compared without case, written with a trailing dot for the root. */

export const withDot = (name: string): string => (name.endsWith('.') ? name : `${name}.`);
export const withoutDot = (name: string): string => (name.endsWith('.') ? name.slice(0, -1) : name);

/** The form Route53 answers with: `myapp.zo.ne`, `MyApp.zo.ne.` and moto's physical ids all become `myapp.zo.ne.`. */
export function normalizeDnsName(name: string): string {
  return withDot(name.trim().toLowerCase());
}

/** Route53 escapes some characters as `\NNN` octal in names it returns (`*` as `\052`). */
export function unescapeRoute53(name: string): string {
  return name.replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** Whether `name` lies in `zone`: the zone itself or below it at a label boundary (`api.zo.ne` in `zo.ne`). */
export function isInZone(name: string, zone: string): boolean {
  const n = withDot(name).toLowerCase();
  const z = withDot(zone).toLowerCase();
  return z !== '.' && (n === z || n.endsWith(`.${z}`));
}

/**
 * The zones that hold a name: of those it lies in, the ones with the longest name, in their order (a
 * public and a private zone of one name are both returned). The original took the first suffix match.
 */
export function longestZones<T>(zones: readonly T[], name: string, zoneName: (zone: T) => string): T[] {
  const matching = zones.filter((z) => isInZone(name, zoneName(z)));
  const longest = Math.max(0, ...matching.map((z) => withDot(zoneName(z)).length));
  return matching.filter((z) => withDot(zoneName(z)).length === longest);
}

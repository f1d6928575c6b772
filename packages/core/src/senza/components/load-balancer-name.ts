/** Elastic Load Balancing names are at most 32 characters (classic ELB, ELBv2 and target groups). */
export const MAX_LOAD_BALANCER_NAME_LENGTH = 32;

/**
 * Cuts `name` to `length` characters, then drops every `-` that is followed by another `-`, a leading
 * `-` and a trailing `-` (AWS rejects those in load balancer names). A negative length cuts from the
 * end, as the original's slicing did when the version alone was too long.
 */
export function cleanCloudName(name: string, length: number): string {
  return name.slice(0, length).replace(/-(?=-)|^-|-$/g, '');
}

/** `<cleaned stack name>-<version>` within 32 characters; `version` may carry the NameSuffix. */
export function loadBalancerName(stackName: string, version: string): string {
  return `${cleanCloudName(stackName, MAX_LOAD_BALANCER_NAME_LENGTH - version.length - 1)}-${version}`;
}

/** The name rules shared by the load balancer components: `NameSuffix` is appended to the version. */
export function componentLoadBalancerName(
  info: { StackName: string; StackVersion: string },
  nameSuffix: unknown,
): string {
  const version =
    nameSuffix !== undefined && nameSuffix !== null && nameSuffix !== '' && nameSuffix !== false
      ? `${info.StackVersion}-${String(nameSuffix)}`
      : info.StackVersion;
  return loadBalancerName(info.StackName, version);
}

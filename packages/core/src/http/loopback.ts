/** A host on this machine (127.0.0.0/8, localhost, ::1): where stups-local runs its services. */
const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

/** The hint for a platform endpoint on loopback that misbehaves: ask the local platform how it is. */
export function localPlatformHint(what: string): string {
  return `This is the local platform (${what} on loopback): run \`stups-local status\` and, if it is down, \`stups-local up\`.`;
}

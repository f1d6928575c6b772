/** `piu request-access` argument lists for `senza instances --piu`: `--connect` only for a single host. */
export function piuCommands(privateIps: string[], reason: string, oddHost: string | undefined): string[][] {
  return privateIps.map((ip) => [
    'request-access',
    ip,
    `${reason} via senza`,
    ...(privateIps.length === 1 ? ['--connect'] : []),
    ...(oddHost ? ['-O', oddHost] : []),
  ]);
}

/** The bastion lookup lives with piu; `senza instances --piu` uses the same one. */
export { findOddHost } from '../../../piu/odd-host.js';

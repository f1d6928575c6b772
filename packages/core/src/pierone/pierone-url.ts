import { UsageError } from '../errors.js';

/**
 * The Pier One URL as users give it: `https://` is added when there is no scheme (the original's
 * issue 63); only http and https; no trailing slash. Plain http is meant for loopback registries.
 */
export function normalizePieroneUrl(value: string): string {
  const trimmed = value.trim();
  const withScheme = trimmed.includes('://') ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`Invalid Pier One URL "${value}"`, {
      code: 'pierone.url-invalid',
      hint: 'Give the registry as https://pierone.example.org (or host[:port]).',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`Invalid Pier One URL "${value}": only http and https are supported`, {
      code: 'pierone.url-invalid',
      hint: 'Give the registry as https://pierone.example.org (or host[:port]).',
    });
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The key Docker looks credentials up by: the host with its port when it has one (`127.0.0.1:5000`),
 * lower-case, no scheme. The original dropped the port, so registries on other ports never matched.
 */
export function registryHost(url: string): string {
  return new URL(normalizePieroneUrl(url)).host.toLowerCase();
}

/**
 * Relative ages as the original tables show them: `Ns ago` up to 70 s, `Nm ago` up to an hour,
 * `Nh ago` up to 49 h, then `Nd ago` (half-to-even rounding like Python's format).
 */
export function relativeTime(epochSeconds: number, nowMs: number = Date.now()): string {
  if (!epochSeconds) return '';
  const delta = nowMs / 1000 - epochSeconds;
  // Future times (clock skew) stay in seconds, negative, like the original: `-5s ago`.
  if (delta <= 70) return `${roundHalfEven(delta)}s ago`;
  if (delta <= 3600) return `${roundHalfEven(delta / 60)}m ago`;
  if (delta <= 49 * 3600) return `${roundHalfEven(delta / 3600)}h ago`;
  return `${roundHalfEven(delta / 86400)}d ago`;
}

export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

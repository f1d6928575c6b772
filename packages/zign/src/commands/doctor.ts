import type { DoctorRun } from './specs.js';

/** Core's checks, one line each (`ok` or `FIX` with the fix below); exit 1 when one is not ok. */
export const run: DoctorRun = async (_args, options, cli) => {
  const { diagnoseZign } = await import('@stups/core/auth');
  const checks = await diagnoseZign(options, cli.env);
  cli.host.print(
    checks.map((c) => `${c.ok ? 'ok  ' : 'FIX '} ${c.what}${c.ok || !c.fix ? '' : `\n      → ${c.fix}`}\n`).join(''),
  );
  return checks.every((c) => c.ok) ? 0 : 1;
};

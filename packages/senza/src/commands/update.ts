import { deploy } from '../deploy.js';
import type { CliContext } from '../main.js';

export function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  return deploy('update', args, options, cli);
}

import type { DeleteRun } from './specs.js';

export const run: DeleteRun = async ([name], _options, cli) => {
  const { deleteToken } = await import('@stups/core/auth');
  const deleted = await deleteToken(name, { env: cli.env });
  if (!deleted)
    cli.host.notify({
      level: 'info',
      code: 'zign.delete-absent',
      text: `Nothing was stored under "${name}".`,
      data: { name },
    });
  return 0;
};

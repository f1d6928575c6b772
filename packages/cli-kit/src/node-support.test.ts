import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The AWS SDK warns on Node < 22 only (its future releases will need 22). */
const SDK_WARNS_HERE = Number(process.versions.node.split('.')[0]) < 22;

/** Constructs an AWS SDK client in a fresh node, after node-support or not, and returns its stderr. */
function stderrOfClient(withSupport: boolean, env: NodeJS.ProcessEnv = {}): string {
  const script = `${withSupport ? "await import('@stups/cli-kit/node-support');\n" : ''}const { EC2Client } = await import('@aws-sdk/client-ec2');
new EC2Client({ region: 'eu-central-1' });
console.error('client made');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr;
}

describe('no Node-version warning from the AWS SDK on a supported Node', () => {
  it('the SDK by itself warns on Node 20 (not on 22+)', () => {
    expect(stderrOfClient(false).includes('NodeVersionSupportWarning')).toBe(SDK_WARNS_HERE);
  });
  it('after node-support it does not: the documented switch is on for Node 20', () => {
    const stderr = stderrOfClient(true);
    expect(stderr).toContain('client made');
    expect(stderr).not.toContain('NodeVersionSupportWarning');
  });
  it('a user who set the switch keeps their choice', () => {
    const stderr = stderrOfClient(true, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' });
    expect(stderr.includes('NodeVersionSupportWarning')).toBe(SDK_WARNS_HERE);
  });
});

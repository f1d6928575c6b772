import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/run-cli.js';

/**
 * `pnpm run typecheck` compiles every package in one program, where the CLIs' catalogs all add to the
 * built engine's `MessageCodes`. The build (`tsc -b`) compiles each package on its own: this compiles a
 * probe inside a package, as its build would, to show which codes that package can emit.
 */
function diagnostics(pkg: string, catalog: string, probe: string): string[] {
  const dir = join(ROOT, 'packages', pkg, 'src');
  const probeFile = join(dir, '__message-code-probe.ts');
  const base = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile).config;
  const options = {
    ...ts.convertCompilerOptionsFromJson(base.compilerOptions, ROOT).options,
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, language, ...rest) =>
    name === probeFile ? ts.createSourceFile(name, probe, language) : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === probeFile || ts.sys.fileExists(name);
  host.readFile = (name) => (name === probeFile ? probe : ts.sys.readFile(name));
  const program = ts.createProgram({
    rootNames: [join(dir, catalog), probeFile],
    options,
    host,
  });
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(probeFile))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const notify = (from: string, codes: string[]) =>
  `import { RecordingHost } from '${from}';\nconst host = new RecordingHost();\n${codes
    .map((code) => `host.notify({ level: 'info', code: '${code}', text: '' });`)
    .join('\n')}\n`;

interface Scope {
  /** A module of the package that brings in its catalogs. */
  catalog: string;
  /** How the package's code imports the host. */
  from: string;
  emits: string[];
  refuses: string[];
}

const SCOPES: Record<string, Scope> = {
  core: {
    catalog: 'message-registry.ts',
    from: './io/messages.js',
    emits: ['senza.wait-waiting', 'error.usage'],
    refuses: ['senza.diff-none', 'cli.usage'],
  },
  'cli-kit': {
    catalog: 'cli-messages.ts',
    from: '@stups/core',
    emits: ['cli.usage', 'senza.wait-waiting'],
    refuses: ['senza.diff-none', 'zign.login-done'],
  },
  senza: {
    catalog: 'senza-cli-messages.ts',
    from: '@stups/core',
    emits: ['senza.diff-none', 'cli.usage', 'auth.login-url'],
    refuses: ['zign.login-done', 'local.start-failed'],
  },
  zign: {
    catalog: 'zign-messages.ts',
    from: '@stups/core',
    emits: ['zign.login-done', 'cli.usage', 'auth.login-url'],
    refuses: ['senza.diff-none', 'piu.setting-missing'],
  },
  pierone: {
    catalog: 'pierone-cli-messages.ts',
    from: '@stups/core',
    emits: ['pierone.url-missing', 'cli.usage', 'pierone.login-config-written'],
    refuses: ['piu.setting-missing', 'senza.diff-none'],
  },
  piu: {
    catalog: 'piu-cli-messages.ts',
    from: '@stups/core',
    emits: ['piu.setting-missing', 'cli.usage', 'piu.request-start'],
    refuses: ['pierone.url-missing', 'zign.login-done'],
  },
  local: {
    catalog: 'local-messages.ts',
    from: '@stups/core',
    emits: ['local.start-failed', 'cli.usage', 'error.internal'],
    refuses: ['senza.diff-none'],
  },
};

describe('which codes each package compiles with (its build, not the one typecheck program)', () => {
  it.each(Object.keys(SCOPES))('%s', (pkg) => {
    const { catalog, from, emits, refuses } = SCOPES[pkg] as Scope;
    expect(diagnostics(pkg, catalog, notify(from, emits))).toEqual([]);
    expect(diagnostics(pkg, catalog, notify(from, refuses))).toEqual(
      refuses.map((code) => `Type '"${code}"' is not assignable to type 'MessageCode'.`),
    );
  });
});

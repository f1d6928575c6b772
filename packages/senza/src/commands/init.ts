import { existsSync } from 'node:fs';
import type { CliContext } from '@stups/cli-kit';
import { ask, confirm } from '@stups/cli-kit/prompt';
import { EXIT, UsageError, withSpan, writeFileAtomic } from '@stups/core';
import {
  createInitResources,
  INIT_TEMPLATES,
  type InitQuestion,
  type InitTemplate,
  initTemplate,
  missingInitResources,
  parseUserVariables,
} from '@stups/core/senza/init';
import { AccountFacts, fetchAccountFacts } from '@stups/core/senza/template';
import { openSession, regionOf } from '../template-request.js';
import type { InitRun } from './specs/definition.js';

type InitOptions = Parameters<InitRun>[1];

async function chooseTemplate(options: InitOptions, cli: CliContext): Promise<InitTemplate> {
  if (options.template) return initTemplate(options.template);
  if (options.yes || !cli.interactive) {
    if (!options.yes) {
      throw new UsageError('No template chosen (no terminal to ask)', {
        code: 'cli.prompt-unavailable',
        hint: `Pass -t/--template (${INIT_TEMPLATES.map((t) => t.id).join(', ')}) or --yes for webapp.`,
      });
    }
    return initTemplate('webapp');
  }
  cli.host.say('Please select the project template\n');
  INIT_TEMPLATES.forEach((t, i) => {
    cli.host.say(`${i + 1}) ${t.id}: ${t.description}\n`);
  });
  const def = INIT_TEMPLATES.findIndex((t) => t.id === 'webapp') + 1;
  const answer = await ask(cli, `Please select (1-${INIT_TEMPLATES.length})`, String(def));
  const t = INIT_TEMPLATES[Number(answer) - 1] ?? INIT_TEMPLATES.find((x) => x.id === answer);
  if (!t) throw new UsageError(`Invalid choice "${answer}"`, { code: 'senza.init-template-unknown' });
  return t;
}

function problemWith(q: InitQuestion, value: string): string | undefined {
  return (
    q.validate?.(value) ??
    (q.choices && !q.choices.includes(value) ? `must be one of ${q.choices.join(', ')}` : undefined)
  );
}

async function answersFor(
  template: InitTemplate,
  given: Record<string, string>,
  options: InitOptions,
  cli: CliContext,
) {
  const answers: Record<string, string> = {};
  for (const q of template.questions) {
    if (q.when && !q.when(answers)) continue;
    let value = given[q.name];
    if (value === undefined) {
      if (options.yes || !cli.interactive) {
        if (!options.yes) {
          throw new UsageError(`No answer for "${q.prompt}" (no terminal to ask)`, {
            code: 'cli.prompt-unavailable',
            hint: `Pass -v ${q.name}=VALUE, or --yes to accept the default${q.default ? ` "${q.default}"` : ''}.`,
          });
        }
        value = q.default ?? '';
      } else {
        for (;;) {
          value = await ask(cli, q.choices ? `${q.prompt} (${q.choices.join('/')})` : q.prompt, q.default);
          const problem = problemWith(q, value);
          if (!problem) break;
          cli.host.say(`${q.prompt} ${problem}\n`);
        }
      }
    }
    const problem = problemWith(q, value);
    if (problem) throw new UsageError(`${q.name}: "${value}" ${problem}`, { code: 'senza.init-variable' });
    answers[q.name] = value;
  }
  return answers;
}

export const run: InitRun = async ([file], options, cli) => {
  const { host } = cli;
  if (file !== '-' && existsSync(file) && !options.force) {
    throw new UsageError(`${file} already exists`, {
      code: 'senza.init-exists',
      hint: 'Choose another file name, or pass --force to overwrite it.',
    });
  }
  const template = await chooseTemplate(options, cli);
  const answers = await answersFor(template, parseUserVariables(options.userVariable), options, cli);
  const region = await regionOf(options, cli);
  const session = await openSession(region, host);
  try {
    const missing = await withSpan(
      host,
      { code: 'senza.init-check-resources', text: 'Checking security groups and IAM roles..' },
      () => missingInitResources(session, template.resources(answers)),
    );
    if (missing.length > 0) {
      const names = missing
        .map((r) => `${r.kind === 'securityGroup' ? 'security group' : 'IAM role'} ${r.name}`)
        .join(', ');
      if (await confirm(cli, `Create ${names} in ${region}?`, '--yes', options.yes, true)) {
        await withSpan(host, { code: 'senza.init-create-resources', text: `Creating ${names}..` }, async () => {
          const facts = new AccountFacts({ ...(await fetchAccountFacts(session, [{ kind: 'vpcs' }])), region });
          await createInitResources(session, missing, facts.vpcId());
        });
      }
    }
  } finally {
    session.finish();
  }
  const text = template.render(answers);
  if (file === '-') host.print(text);
  else {
    await withSpan(
      host,
      { code: 'senza.init-write-definition', text: `Generating Senza definition file ${file}..`, data: { file } },
      async () => writeFileAtomic(file, text),
    );
  }
  return EXIT.OK;
};

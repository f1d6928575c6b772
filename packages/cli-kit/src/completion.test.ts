import { describe, expect, it } from 'vitest';
import { arg } from './arg-spec.js';
import { type CompletionRequest, completeLine, completeWords, zshLines } from './completion.js';
import { defineCommand } from './define-command.js';
import { choice, flag, int, text } from './option-spec.js';

const show = defineCommand({
  name: 'show',
  summary: 'Show',
  args: [arg('[REF...]', 'refs', { complete: 'things' })],
  options: {
    output: choice('-o, --output <FORMAT>', 'format', ['text', 'json'], 'text'),
    watch: int('-w, --watch <SECS>', 'period', { min: 1, max: 9 }),
    all: flag('--all', 'all'),
  },
  load: async () => ({ run: async () => 0 }),
});
const commands = [show, defineCommand({ ...show, name: 'shift' })];
const requests: CompletionRequest[] = [];
const sources = async () => ({
  things: async (r: CompletionRequest) => {
    requests.push(r);
    return r.position === 0 ? ['alpha', 'beta'] : ['1', '2'];
  },
});
const complete = (words: string[]) => completeWords(commands, words, words.length - 1, sources, {});

describe('completeWords', () => {
  it('commands, global flags, command flags and choices', async () => {
    expect(await complete(['tool', 'sh'])).toEqual(['show', 'shift']);
    expect(await complete(['tool', '--de'])).toEqual(['--debug']);
    expect(await complete(['tool', '--log-format', ''])).toEqual(['text', 'json']);
    expect(await complete(['tool', 'show', '--a'])).toEqual(['--all']);
    expect(await complete(['tool', 'show', '-o', 'j'])).toEqual(['json']);
    // A value without choices: nothing to suggest (the shell falls back to files).
    expect(await complete(['tool', 'show', '-w', ''])).toEqual([]);
  });

  it("arguments from the tool's dynamic source, with the positional words typed so far", async () => {
    expect(await complete(['tool', 'show', 'a'])).toEqual(['alpha']);
    expect(await complete(['tool', 'sho', '-w', '5', 'alpha', ''])).toEqual(['1', '2']);
    expect(requests.at(-1)).toMatchObject({ position: 1, positional: ['alpha'] });
    expect(await complete(['tool', 'nope', ''])).toEqual([]);
  });
});

const print = defineCommand({
  name: 'print',
  summary: 'print the template',
  args: [arg('<DEFINITION>', 'file', { file: ['yaml', 'yml'] }), arg('<VERSION>', 'version')],
  options: {
    parameterFile: text('--parameter-file <PATH>', 'parameters: file', { file: ['yaml'] }),
    key: text('--key <FILE>', 'any file', { file: true }),
    output: choice('-o, --output <FORMAT>', 'format', ['json', 'yaml'], 'json', {
      choiceHelp: { json: 'the template as JSON', yaml: 'the template as YAML' },
    }),
  },
  load: async () => ({ run: async () => 0 }),
});
const diff = defineCommand({
  name: 'diff',
  summary: 'compare',
  args: [arg('[REF...]', 'stack name or definition file', { complete: 'things', file: ['yaml', 'yml'] })],
  options: {},
  load: async () => ({ run: async () => 0 }),
});
const line = (words: string[]) => completeLine([show, print, diff], words, words.length - 1, sources, {});

describe('completeLine (zsh)', () => {
  it('describes commands, options and the choices that say what they mean', async () => {
    expect(await line(['tool', 'p'])).toEqual({
      kind: 'commands',
      suggestions: [{ value: 'print', description: 'print the template' }],
    });
    expect(await line(['tool', 'show', '-'])).toMatchObject({
      kind: 'options',
      suggestions: expect.arrayContaining([
        { value: '-o', description: 'format' },
        { value: '--output', description: 'format' },
        { value: '--debug', description: 'show stack traces on errors' },
      ]),
    });
    expect(await line(['tool', 'show', '-o', ''])).toEqual({
      kind: 'values',
      suggestions: [{ value: 'text' }, { value: 'json' }],
    });
    expect(await line(['tool', 'print', '-o', ''])).toEqual({
      kind: 'values',
      suggestions: [
        { value: 'json', description: 'the template as JSON' },
        { value: 'yaml', description: 'the template as YAML' },
      ],
    });
    expect(await line(['tool', '--log-format', 'j'])).toMatchObject({
      suggestions: [{ value: 'json', description: expect.stringContaining('JSON line') }],
    });
  });

  it('a reference that may be a file offers the values and the files at its first word', async () => {
    expect(await line(['tool', 'diff', ''])).toEqual({
      kind: 'values',
      suggestions: [{ value: 'alpha' }, { value: 'beta' }],
      files: ['yaml', 'yml'],
    });
    expect(await line(['tool', 'diff', 'alpha', ''])).toEqual({
      kind: 'values',
      suggestions: [{ value: '1' }, { value: '2' }],
    });
    expect(zshLines({ kind: 'values', suggestions: [{ value: 'alpha' }], files: ['yaml', 'yml'] })).toBe(
      'values+files\n*.(yaml|yml)\nalpha\n',
    );
  });

  it('file arguments and file options complete file names, other arguments nothing', async () => {
    expect(await line(['tool', 'print', ''])).toEqual({ kind: 'files', suggestions: [], files: ['yaml', 'yml'] });
    expect(await line(['tool', 'print', '--parameter-file', 'x'])).toMatchObject({ kind: 'files', files: ['yaml'] });
    expect(await line(['tool', 'print', '--key', ''])).toMatchObject({ kind: 'files', files: true });
    expect(await line(['tool', 'print', 'a.yaml', ''])).toEqual({ kind: 'values', suggestions: [] });
    // bash keeps its plain list, and its own fallback to file names.
    expect(await completeWords([print], ['tool', 'print', ''], 2, sources, {})).toEqual([]);
  });

  it('zshLines: the kind, then `value:description` (a colon in a value escaped), or the glob', () => {
    expect(zshLines({ kind: 'files', suggestions: [], files: ['yaml', 'yml'] })).toBe('files\n*.(yaml|yml)\n');
    expect(zshLines({ kind: 'files', suggestions: [], files: ['yaml'] })).toBe('files\n*.yaml\n');
    expect(zshLines({ kind: 'files', suggestions: [], files: true })).toBe('files\n\n');
    expect(zshLines({ kind: 'files', suggestions: [], files: 'directory' })).toBe('directories\n');
    expect(
      zshLines({ kind: 'commands', suggestions: [{ value: 'a:b', description: 'two\n lines' }, { value: 'c' }] }),
    ).toBe('commands\na\\:b:two lines\nc\n');
  });
});

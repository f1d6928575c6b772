import { describe, expect, it } from 'vitest';
import { arg } from './arg-spec.js';
import { type CompletionRequest, completeWords } from './completion.js';
import { defineCommand } from './define-command.js';
import { choice, flag, int } from './option-spec.js';

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

import type { Help } from 'commander';
import { DEFAULT_WIDTH } from './terminal-width.js';

/** A description column narrower than this reads badly: a longer term gets a line of its own. */
const MIN_DESCRIPTION_WIDTH = 40;
const ITEM_INDENT = 2;
const SPACER = 2;

/**
 * commander's help layout, made to fit the width: the term column is at most as wide as leaves the
 * descriptions 40 columns; a longer term (`traffic [options] <STACK_NAME> [STACK_VERSION] [PERCENTAGE]`)
 * stands on its own line with its description below, aligned with the others. commander alone keeps
 * the long column and leaves the descriptions to the terminal, which breaks them mid-word.
 */
export const helpLayout: Partial<Help> = {
  // A narrow terminal still wraps (commander gives up below 40 columns).
  minWidthToWrap: 20,
  padWidth(this: Help, cmd, helper) {
    const longest = Math.max(
      helper.longestOptionTermLength(cmd, helper),
      helper.longestGlobalOptionTermLength(cmd, helper),
      helper.longestSubcommandTermLength(cmd, helper),
      helper.longestArgumentTermLength(cmd, helper),
    );
    const width = this.helpWidth ?? DEFAULT_WIDTH;
    return Math.min(longest, Math.max(width - ITEM_INDENT - SPACER - MIN_DESCRIPTION_WIDTH, 10));
  },
  formatItem(this: Help, term, termWidth, description, helper) {
    const indent = ' '.repeat(ITEM_INDENT);
    if (!description) return indent + term;
    const width = this.helpWidth ?? DEFAULT_WIDTH;
    const column = ITEM_INDENT + termWidth + SPACER;
    const wrapped = helper.preformatted(description)
      ? description
      : helper.boxWrap(description, Math.max(width - column, 1));
    const body = wrapped.replace(/\n/g, `\n${' '.repeat(column)}`);
    if (helper.displayWidth(term) > termWidth) return `${indent}${term}\n${' '.repeat(column)}${body}`;
    return `${indent}${term.padEnd(termWidth + term.length - helper.displayWidth(term))}${' '.repeat(SPACER)}${body}`;
  },
};

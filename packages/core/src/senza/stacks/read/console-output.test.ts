import { describe, expect, it } from 'vitest';
import { consoleSelection, lastLines } from './console-output.js';

describe('senza console selection', () => {
  it('instance ids, private IPs, else stack refs', () => {
    expect(consoleSelection(['i-1', 'i-2'])).toEqual({
      mode: 'id',
      filters: [{ Name: 'instance-id', Values: ['i-1', 'i-2'] }],
    });
    expect(consoleSelection(['10.0.0.1']).mode).toBe('ip');
    expect(consoleSelection(['myapp', '1']).mode).toBe('stack');
    expect(consoleSelection([]).mode).toBe('stack');
  });

  it('keeps the last N lines', () => {
    expect(lastLines('a\nb\nc\n', 2)).toEqual(['b', 'c']);
    expect(lastLines('a\r\nb', 5)).toEqual(['a', 'b']);
  });
});

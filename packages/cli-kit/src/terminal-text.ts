/**
 * Text from user input or remote answers may hold control characters (an ESC that clears the
 * screen, a carriage return that hides a line). Before it reaches a terminal each one becomes a
 * visible escape (`\x1b`, `\r`); newlines and tabs stay, they are layout.
 */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\r') return '\\r';
    return `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

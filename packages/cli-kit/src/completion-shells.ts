/** The shells `<tool> completion` writes a script for (kept apart so the command loads the scripts lazily). */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Every listing takes `-o/--output text|json|tsv|yaml` (a module of its own: CLIs declare it at start-up). */
export const OUTPUT_FORMATS = ['text', 'json', 'tsv', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

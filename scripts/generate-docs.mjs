// Writes the generated docs pages from the built packages: docs/messages.md (message catalogs) and
// docs/senza-options.md (option declarations). `pnpm docs`; tests check both pages are fresh.
import { writeFileSync } from 'node:fs';
import { renderMessagesDoc, renderOptionsDoc } from '@stups/cli-kit/docs';

const GENERATOR = 'scripts/generate-docs.mjs';
const { senzaMessageSections } = await import('../packages/senza/dist/senza-cli-messages.js');
const { SENZA } = await import('../packages/senza/dist/main.js');
const root = new URL('..', import.meta.url);
writeFileSync(new URL('docs/messages.md', root), renderMessagesDoc('senza', await senzaMessageSections(), GENERATOR));
writeFileSync(new URL('docs/senza-options.md', root), renderOptionsDoc(SENZA, GENERATOR));

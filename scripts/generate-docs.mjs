// Writes the generated docs pages from the built packages: docs/messages.md (message catalogs).
// `node scripts/generate-docs.mjs` after `pnpm run build`; tests check the pages are fresh.
import { writeFileSync } from 'node:fs';
import { renderMessagesDoc } from '@stups/cli-kit';

const { senzaMessageSections } = await import('../packages/senza/dist/senza-cli-messages.js');
const root = new URL('..', import.meta.url);
writeFileSync(
  new URL('docs/messages.md', root),
  renderMessagesDoc('senza', await senzaMessageSections(), 'scripts/generate-docs.mjs'),
);

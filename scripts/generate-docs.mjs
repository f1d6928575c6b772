// Writes the generated docs pages from the built packages: docs/messages.md (message catalogs of senza
// and stups-local), docs/senza-options.md and docs/stups-local-options.md (option declarations).
// `pnpm docs`; tests check every page is fresh.
import { writeFileSync } from 'node:fs';
import { renderMessagesDoc, renderOptionsDoc } from '@stups/cli-kit/docs';

const GENERATOR = 'scripts/generate-docs.mjs';
const { senzaMessageSections } = await import('../packages/senza/dist/senza-cli-messages.js');
const { LOCAL_CATALOGS } = await import('../packages/local/dist/local-messages.js');
const { SENZA } = await import('../packages/senza/dist/main.js');
const { STUPS_LOCAL } = await import('../packages/local/dist/cli/main.js');
const root = new URL('..', import.meta.url);
const sections = [...(await senzaMessageSections()), ...LOCAL_CATALOGS];
writeFileSync(new URL('docs/messages.md', root), renderMessagesDoc('senza and stups-local', sections, GENERATOR));
writeFileSync(new URL('docs/senza-options.md', root), renderOptionsDoc(SENZA, GENERATOR));
writeFileSync(new URL('docs/stups-local-options.md', root), renderOptionsDoc(STUPS_LOCAL, GENERATOR));

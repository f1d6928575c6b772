// Writes the generated docs pages from the built packages: docs/messages.md (message catalogs of senza,
// zign, pierone, piu and stups-local), docs/senza-options.md and docs/stups-local-options.md (option declarations).
// `pnpm run docs` (plain `pnpm docs` is pnpm's own command); tests check every page is fresh.
import { writeFileSync } from 'node:fs';
import { renderMessagesDoc, renderOptionsDoc } from '@stups/cli-kit/docs';

const GENERATOR = 'scripts/generate-docs.mjs';
const { senzaMessageSections } = await import('../packages/senza/dist/senza-cli-messages.js');
const { LOCAL_CATALOGS } = await import('../packages/local/dist/local-messages.js');
const { ZIGN_MESSAGES } = await import('../packages/zign/dist/zign-messages.js');
const { PIERONE_CLI_MESSAGES } = await import('../packages/pierone/dist/pierone-cli-messages.js');
const { PIU_CLI_MESSAGES } = await import('../packages/piu/dist/piu-cli-messages.js');
const { SENZA } = await import('../packages/senza/dist/main.js');
const { STUPS_LOCAL } = await import('../packages/local/dist/cli/main.js');
const root = new URL('..', import.meta.url);
const sections = [
  ...(await senzaMessageSections()),
  { area: 'zign CLI', catalog: ZIGN_MESSAGES },
  { area: 'pierone CLI', catalog: PIERONE_CLI_MESSAGES },
  { area: 'piu CLI', catalog: PIU_CLI_MESSAGES },
  ...LOCAL_CATALOGS,
];
const title = 'senza, zign, pierone, piu and stups-local';
writeFileSync(new URL('docs/messages.md', root), renderMessagesDoc(title, sections, GENERATOR));
writeFileSync(new URL('docs/senza-options.md', root), renderOptionsDoc(SENZA, GENERATOR));
writeFileSync(new URL('docs/stups-local-options.md', root), renderOptionsDoc(STUPS_LOCAL, GENERATOR));

// What docs generators and registration tests need: the kit's catalog and the page renderers.
export { CLI_MESSAGES } from './cli-messages.js';
export { type CatalogSection, renderMessagesDoc } from './messages-doc.js';
export { renderOptionsDoc } from './options-doc.js';

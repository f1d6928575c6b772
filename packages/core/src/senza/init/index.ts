// `@stups/core/senza/init`: the `senza init` templates and the account resources they need.
export { createInitResources, missingInitResources } from './init-resources.js';
export {
  INIT_TEMPLATES,
  type InitQuestion,
  type InitTemplate,
  initTemplate,
  parseUserVariables,
} from './init-templates.js';

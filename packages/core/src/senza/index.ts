export type { SenzaInfo } from './components/component.js';
export { componentTypes } from './components/registry.js';
export { readParameterFile } from './definition/arguments.js';
export { loadDefinitionFile, parseDefinition } from './definition/load-definition.js';
export { dumpPyYaml } from './definition/pyyaml-dump.js';
export { KNOWN_COMPONENT_TYPES } from './definition/validate-definition.js';
export { createInitResources, missingInitResources } from './init/init-resources.js';
export {
  INIT_TEMPLATES,
  type InitQuestion,
  type InitTemplate,
  initTemplate,
  parseUserVariables,
} from './init/init-templates.js';
// The stack commands' area, with its own explicit export list.
export * from './stacks/index.js';
export { AccountFacts, type FactNeed } from './template/account-facts.js';
export { type AccountFactsOptions, fetchAccountFacts } from './template/account-facts-fetch.js';
export { generateTemplate } from './template/generate-template.js';
export { compileTemplate, prepareDefinition, type Tag, type TemplateRequest } from './template/template.js';
export { describeChange, type RecordChange } from './traffic/record-changes.js';
export { TRAFFIC_MESSAGES } from './traffic/traffic-messages.js';
export type { TrafficRow } from './traffic/traffic-plan.js';
export { switchTraffic } from './traffic/traffic-switch.js';
export { renderTrafficTable } from './traffic/traffic-table.js';

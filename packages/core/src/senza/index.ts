export { AccountFacts, type FactNeed } from './account-facts.js';
export { fetchAccountFacts } from './account-facts-fetch.js';
export type { SenzaInfo } from './components/component.js';
export { componentTypes } from './components/registry.js';
export { readParameterFile } from './definition/arguments.js';
export { loadDefinitionFile, parseDefinition } from './definition/load-definition.js';
export { dumpPyYaml } from './definition/pyyaml-dump.js';
export { KNOWN_COMPONENT_TYPES } from './definition/validate-definition.js';
export { generateTemplate } from './generate-template.js';
export { createInitResources, missingInitResources } from './init/init-resources.js';
export {
  INIT_TEMPLATES,
  type InitQuestion,
  type InitTemplate,
  initTemplate,
  parseUserVariables,
} from './init/init-templates.js';
export { createStack } from './stacks/lifecycle/create-stack.js';
export { deleteStacks } from './stacks/lifecycle/delete-stack.js';
export { patchStacks } from './stacks/lifecycle/patch-stacks.js';
export { respawnInstances } from './stacks/lifecycle/respawn-instances.js';
export { scaleStacks } from './stacks/lifecycle/scale-stacks.js';
export { diffStack, formatChangeSet } from './stacks/lifecycle/stack-diff.js';
export { formatTemplateDiff } from './stacks/lifecycle/template-diff.js';
export { updateStack } from './stacks/lifecycle/update-stack.js';
export { fetchConsoleOutput } from './stacks/read/console-output.js';
export { listStacks, type StackSummary } from './stacks/read/list-stacks.js';
export { findOddHost, piuCommands } from './stacks/read/piu-access.js';
export { domainRows, RecordSetCache } from './stacks/read/stack-domains.js';
export { fetchStackEvents, type StackEventRow, type StackEvents, stackEventRows } from './stacks/read/stack-events.js';
export { fetchStackHealth } from './stacks/read/stack-health.js';
export { fetchImageFacts, imageRows } from './stacks/read/stack-images.js';
export {
  fetchDockerSources,
  fetchHealthOfInstances,
  fetchStackInstances,
  type InstanceRow,
  instanceRows,
  tagValue,
} from './stacks/read/stack-instances.js';
export { stackListRows } from './stacks/read/stack-list-rows.js';
export { fetchStackResources, type StackResources, stackResourceRows } from './stacks/read/stack-resources.js';
export { fetchStackStatus } from './stacks/read/stack-status.js';
export { STACK_TABLES } from './stacks/read/stack-tables.js';
export { fetchStackTemplates } from './stacks/read/stack-templates.js';
export { assertRefFilesExist } from './stacks/ref-files.js';
export { readSenzaConfig, writeSenzaConfig } from './stacks/senza-config.js';
export { parseStackRefs, type StackRef } from './stacks/stack-ref.js';
export {
  type StackEvent,
  type StackOperation,
  StackProgressBoard,
  stackStatus,
  type WatchTarget,
  watchFailure,
  watchStacks,
} from './stacks/watch/stack-events-watch.js';
export { waitForStacks } from './stacks/watch/wait-for-stacks.js';
export { watchLoop } from './stacks/watch/watch-loop.js';
export { compileTemplate, prepareDefinition, type Tag, type TemplateRequest } from './template.js';
export { describeChange, type RecordChange } from './traffic/apply-traffic.js';
export { TRAFFIC_MESSAGES } from './traffic/traffic-messages.js';
export type { TrafficRow } from './traffic/traffic-plan.js';
export { switchTraffic } from './traffic/traffic-switch.js';
export { renderTrafficTable } from './traffic/traffic-table.js';

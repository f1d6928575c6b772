export { createStack } from './lifecycle/create-stack.js';
export { deleteStacks, removeLeftRecords } from './lifecycle/delete-stack.js';
export { patchStacks } from './lifecycle/patch-stacks.js';
export { respawnInstances } from './lifecycle/respawn-instances.js';
export { scaleStacks } from './lifecycle/scale-stacks.js';
export { diffStack, formatChangeSet } from './lifecycle/stack-diff.js';
export { formatTemplateDiff } from './lifecycle/template-diff.js';
export { updateStack } from './lifecycle/update-stack.js';
export { fetchConsoleOutput } from './read/console-output.js';
export { listStacks, type StackSummary } from './read/list-stacks.js';
export { findOddHost, piuCommands } from './read/piu-access.js';
export { domainRows, RecordSetCache } from './read/stack-domains.js';
export { fetchStackEvents, type StackEventRow, type StackEvents, stackEventRows } from './read/stack-events.js';
export { fetchStackHealth } from './read/stack-health.js';
export { fetchImageFacts, imageRows } from './read/stack-images.js';
export {
  fetchDockerSources,
  fetchHealthOfInstances,
  fetchStackInstances,
  type InstanceRow,
  instanceRows,
  tagValue,
} from './read/stack-instances.js';
export { stackListRows } from './read/stack-list-rows.js';
export { fetchStackResources, type StackResources, stackResourceRows } from './read/stack-resources.js';
export { fetchStackStatus, localRouterProbe } from './read/stack-status.js';
export { STACK_TABLES } from './read/stack-tables.js';
export { fetchStackTemplates } from './read/stack-templates.js';
export { assertRefFilesExist } from './ref-files.js';
export { readSenzaConfig, writeSenzaConfig } from './senza-config.js';
export { parseStackRefs, type StackRef } from './stack-ref.js';
export {
  type StackEvent,
  type StackOperation,
  StackProgressBoard,
  stackStatus,
  type WatchResult,
  type WatchTarget,
  watchFailure,
  watchStacks,
} from './watch/stack-events-watch.js';
export { waitForStacks } from './watch/wait-for-stacks.js';
export { watchLoop } from './watch/watch-loop.js';

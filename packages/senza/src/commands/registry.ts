import { defineCommand } from '@stups/cli-kit';
import { initShape, printShape } from './specs/definition.js';
import {
  createShape,
  deleteShape,
  diffShape,
  patchShape,
  respawnShape,
  scaleShape,
  updateShape,
  waitShape,
} from './specs/lifecycle.js';
import {
  configShape,
  consoleShape,
  diagnoseShape,
  dumpShape,
  imagesShape,
  instancesShape,
  listShape,
  tableShape,
} from './specs/stacks.js';
import { trafficShape } from './specs/traffic.js';

// The commands, as data: the specs give their shapes; each module is imported only when its command runs.

/** Commands that work on a definition file. */
export const definitionCommands = [
  defineCommand({
    name: 'init',
    summary: 'create a new Senza definition from a template',
    ...initShape,
    load: () => import('./init.js'),
  }),
  defineCommand({
    name: 'print',
    summary: 'print the generated CloudFormation template',
    ...printShape,
    load: () => import('./print.js'),
  }),
];

/** Commands that create, change, wait for and remove stack versions. */
export const lifecycleCommands = [
  defineCommand({
    name: 'create',
    summary: 'create a new CloudFormation stack from the given Senza definition file',
    ...createShape,
    load: () => import('./create.js'),
  }),
  defineCommand({
    name: 'update',
    summary: 'update an existing CloudFormation stack from the given Senza definition file',
    ...updateShape,
    load: () => import('./update.js'),
  }),
  defineCommand({
    name: 'diff',
    summary: 'show what an update would change in the deployed stack',
    ...diffShape,
    load: () => import('./diff.js'),
  }),
  defineCommand({
    name: 'delete',
    summary: 'delete CloudFormation stacks',
    ...deleteShape,
    load: () => import('./delete.js'),
  }),
  defineCommand({
    name: 'wait',
    summary: 'wait for successful stack creation, update or deletion',
    ...waitShape,
    load: () => import('./wait.js'),
  }),
  defineCommand({
    name: 'scale',
    summary: 'scale Auto Scaling Group to desired capacity',
    usage: '[options] [REF...] DESIRED_CAPACITY',
    ...scaleShape,
    load: () => import('./scale.js'),
  }),
  defineCommand({
    name: 'patch',
    summary: 'patch specific properties of existing Auto Scaling Groups',
    ...patchShape,
    load: () => import('./patch.js'),
  }),
  defineCommand({
    name: 'respawn-instances',
    summary: 'replace all EC2 instances in Auto Scaling Group(s)',
    ...respawnShape,
    load: () => import('./respawn-instances.js'),
  }),
];

/** Read-only commands that look at deployed stacks. */
export const stacksCommands = [
  defineCommand({
    name: 'list',
    summary: 'list CloudFormation stacks',
    ...listShape,
    load: () => import('./list.js'),
  }),
  defineCommand({
    name: 'events',
    summary: 'show all CloudFormation events',
    ...tableShape,
    load: () => import('./events.js'),
  }),
  defineCommand({
    name: 'resources',
    summary: 'show all resources of a single CloudFormation stack',
    ...tableShape,
    load: () => import('./resources.js'),
  }),
  defineCommand({
    name: 'instances',
    summary: "list the stack's EC2 instances",
    ...instancesShape,
    load: () => import('./instances.js'),
  }),
  defineCommand({
    name: 'status',
    summary: 'show stack status information',
    ...tableShape,
    load: () => import('./status.js'),
  }),
  defineCommand({
    name: 'domains',
    summary: "list the stack's Route53 domains",
    ...tableShape,
    load: () => import('./domains.js'),
  }),
  defineCommand({
    name: 'health',
    summary: 'show stack health (ELB request metrics)',
    ...listShape,
    load: () => import('./health.js'),
  }),
  defineCommand({
    name: 'images',
    summary: 'show all used AMIs and available Taupage AMIs',
    ...imagesShape,
    load: () => import('./images.js'),
  }),
  defineCommand({
    name: 'console',
    summary: 'print EC2 instance console output',
    ...consoleShape,
    load: () => import('./console.js'),
  }),
  defineCommand({
    name: 'diagnose',
    summary: 'find the cause of a failing stack version (exit 1 with a verdict)',
    ...diagnoseShape,
    load: () => import('./diagnose.js'),
  }),
  defineCommand({
    name: 'dump',
    summary: 'dump the CloudFormation template of existing stacks',
    ...dumpShape,
    load: () => import('./dump.js'),
  }),
  defineCommand({
    name: 'config',
    summary: 'get or set a senza configuration value (SECTION.KEY)',
    ...configShape,
    load: () => import('./config.js'),
  }),
];

/** Blue/green traffic switching between versions of a stack. */
export const trafficCommands = [
  defineCommand({
    name: 'traffic',
    summary: 'show or change the traffic distribution between versions of a stack',
    ...trafficShape,
    load: () => import('./traffic.js'),
  }),
];

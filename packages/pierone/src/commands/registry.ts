import { type AnyCommand, defineCommand } from '@stups/cli-kit';
import {
  artifactsShape,
  doctorShape,
  imageShape,
  latestShape,
  loginShape,
  logoutShape,
  scmSourceShape,
  tagsShape,
  teamsShape,
} from './specs.js';

/** The commands, as data: the specs give their shapes; each module is imported only when its command runs. */
export const PIERONE_COMMANDS: AnyCommand[] = [
  defineCommand({
    name: 'artifacts',
    summary: 'list all team artifacts',
    ...artifactsShape,
    load: () => import('./artifacts.js'),
  }),
  defineCommand({
    name: 'doctor',
    summary: "check Docker's configuration for this registry (helper, conflicts, plaintext tokens)",
    ...doctorShape,
    load: () => import('./doctor.js'),
  }),
  defineCommand({
    name: 'image',
    summary: 'list tags that point to this image',
    ...imageShape,
    load: () => import('./image.js'),
  }),
  defineCommand({
    name: 'latest',
    summary: 'get latest tag/version of a specific artifact',
    ...latestShape,
    load: () => import('./latest.js'),
  }),
  defineCommand({
    name: 'login',
    summary: 'log in to the Pier One Docker registry (generates docker configuration in ~/.docker/config.json)',
    ...loginShape,
    load: () => import('./login.js'),
  }),
  defineCommand({
    name: 'logout',
    summary: "remove this registry's login from the Docker configuration",
    ...logoutShape,
    load: () => import('./logout.js'),
  }),
  defineCommand({
    name: 'scm-source',
    summary: 'show SCM source information such as the Git revision',
    ...scmSourceShape,
    load: () => import('./scm-source.js'),
  }),
  defineCommand({
    name: 'tags',
    summary: 'list all tags for a given team',
    ...tagsShape,
    load: () => import('./tags.js'),
  }),
  defineCommand({
    name: 'teams',
    summary: 'list all teams having artifacts in Pier One',
    ...teamsShape,
    load: () => import('./teams.js'),
  }),
];

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OperationError } from '@stups/core';
import { onPath } from '../contract/on-path.js';
import type { Ownership } from '../contract/own-process.js';
import {
  offService,
  type PlatformService,
  type RuntimeChoice,
  type ServicePart,
} from '../contract/platform-service.js';
import { privateDockerdPaths, stopDockerdByPidFile } from './docker-engine.js';
import { stopForwardersByPidFiles } from './forwarder.js';
import { startRouter } from './router.js';
import { RUNTIME_DIR, runtimeEngine, startRuntime } from './runtime.js';
import { HEALTH_INTERVAL_ENV, ROUTER_ENV } from './runtime-contract.js';

/**
 * The stacks' containers and the weighted router in front of them. Without a reachable Docker engine
 * (or with `up --runtime none`) it runs nothing, and its summary (shown by `up` and `status`) says why;
 * the rest of the platform runs as without it.
 */
export const runtimeService: PlatformService = {
  name: 'runtime',
  description: 'the runtime (stack versions as containers) and the weighted router',
  async start({ stateDir, region, port, environment, links, runtime: engine = 'user' }) {
    if (engine === 'none')
      return offService('runtime', {
        why: 'you asked for --runtime none',
        enable: 'stups-local down; stups-local up --runtime user (your Docker engine) or --runtime private (as root)',
      });
    const { motoEndpoint, awsEndpoint } = links;
    if (!motoEndpoint || !awsEndpoint)
      throw new OperationError('The runtime needs the aws service (moto), which did not start before it', {
        code: 'local.runtime-no-aws',
        hint: 'The aws service must come before runtime in the services list.',
      });
    const runtime = await startRuntime({ stateDir, region, motoEndpoint, engine, environment: environment ?? {} });
    const engineInfo = runtimeEngine(runtime);
    if (!engineInfo)
      return offService('runtime', { why: runtime.engineSummary, enable: howToGetAnEngine(engine, stateDir) });
    let router: Awaited<ReturnType<typeof startRouter>>;
    try {
      router = await startRouter({
        motoEndpoint,
        awsEndpoint,
        region,
        instances: runtime,
        port,
        maxHealthIntervalSeconds: Number(process.env[HEALTH_INTERVAL_ENV]) || undefined,
        log: (line) => runtime.note(line),
      });
    } catch (e) {
      await runtime.close();
      throw e;
    }
    links.instances = runtime;
    links.health = router.health;
    const parts: ServicePart[] = [{ label: 'router', endpoint: router.endpoint, pid: process.pid }];
    if (engineInfo.pid)
      parts.push({ label: 'dockerd', endpoint: engineInfo.endpoint, pid: engineInfo.pid, probePath: '/_ping' });
    return {
      record: {
        name: 'runtime',
        endpoint: router.endpoint,
        summary: `router at ${router.endpoint} (${runtime.engineSummary})`,
        environment: { [ROUTER_ENV]: router.endpoint },
        parts,
      },
      stop: async () => {
        links.instances = undefined;
        links.health = undefined;
        try {
          await router.close();
        } finally {
          await runtime.close();
        }
      },
    };
  },
  async cleanUp(stateDir: string, isOurs: Ownership) {
    await stopForwardersByPidFiles(join(stateDir, RUNTIME_DIR), isOurs);
    await stopDockerdByPidFile(stateDir, isOurs);
  },
};

/** The command that gives the runtime a Docker engine, after `why` said there is none. */
function howToGetAnEngine(engine: RuntimeChoice, stateDir: string): string {
  const restart = 'stups-local down; stups-local up --runtime private';
  const installed = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => existsSync(p)) || onPath('dockerd');
  if (!installed) return `apt-get install docker.io busybox-static socat, then (as root) ${restart}`;
  if (engine === 'user')
    return `start your Docker engine (DOCKER_HOST or /var/run/docker.sock), or as root: ${restart}`;
  return `fix what ${privateDockerdPaths(stateDir).log} says, then ${restart}`;
}

import type { PlatformLinks } from './links.js';
import type { Ownership } from './own-process.js';

/** `up --runtime`: the user's Docker engine, a private dockerd, or no containers at all. */
export const RUNTIME_CHOICES = ['user', 'private', 'none'] as const;
export type RuntimeChoice = (typeof RUNTIME_CHOICES)[number];

/** The services' names, in start order (services.ts holds the services; a test keeps the two equal). */
export const SERVICE_NAMES = ['aws', 'oauth', 'pierone', 'even', 'runtime'] as const;

/**
 * The contract every part of the local platform fulfils (AWS now; the OAuth provider, the registry and
 * the SSH access service next). The platform daemon starts the services in order and records what each
 * returned; `up`, `down`, `status` and `env` only ever work over that list.
 */
export interface PlatformService {
  /** Short, stable name: the key of its record and of `up --port NAME=N`. */
  name: string;
  /** What `up` says it starts, e.g. `moto and the AWS-correcting layer`. */
  description: string;
  start(context: ServiceContext): Promise<RunningService>;
  /**
   * Stops what a killed daemon left behind before it could record it (children found by their PID files
   * in the state directory), signalling only processes `isOurs` accepts.
   */
  cleanUp?(stateDir: string, isOurs: Ownership): Promise<void>;
}

export interface ServiceContext {
  stateDir: string;
  region: string;
  /** The port its endpoint should listen on; undefined for a free ephemeral one. */
  port?: number;
  /** What the services started before this one export (e.g. TOKENINFO_URL for the registry). */
  environment?: Record<string, string>;
  /** The Docker engine of the runtime service (`up --runtime`); default `user`. */
  runtime?: RuntimeChoice;
  /** In-process links between services (the runtime fills them in, the AWS layer reads them). */
  links: PlatformLinks;
}

export interface RunningService {
  record: ServiceRecord;
  /** Stops what it started (children by PID); called by the daemon on shutdown. */
  stop(): Promise<void>;
}

/** What a service leaves in `platform.json`, so that other processes can find, probe and stop it. */
export interface ServiceRecord {
  name: string;
  /** The service's public endpoint (what the environment points at). */
  endpoint: string;
  /** One phrase for `up`'s last line, e.g. `AWS at http://127.0.0.1:4567 (moto at …)`. */
  summary: string;
  /** Exported to the shell by `up` and `env`, in this order. */
  environment: Record<string, string>;
  /** The processes and endpoints that make the service up; all must run and answer. */
  parts: ServicePart[];
  /** Set when the service runs nothing because an optional part is missing or turned off. */
  off?: ServiceOff;
  /** What the service set right on its own at start and the user should know (shown by `up` and `status`). */
  notes?: string[];
}

/** Why a service is off, and the command that turns it on: `up` and `status` show both on one line. */
export interface ServiceOff {
  why: string;
  enable: string;
}

/** A service that starts nothing: no endpoint, no parts; `environment` may still say that it is off. */
export function offService(name: string, off: ServiceOff, environment: Record<string, string> = {}): RunningService {
  return {
    record: { name, endpoint: '', summary: `${name} off: ${off.why}`, environment, parts: [], off },
    stop: async () => undefined,
  };
}

/** The one line `up` and `status` show for a service that is off. */
export function offLine(off: ServiceOff): string {
  return `off: ${off.why}. Turn it on: ${off.enable}`;
}

export interface ServicePart {
  /** Shown by `status`, e.g. `layer`, `moto`. */
  label: string;
  endpoint: string;
  pid: number;
  /** Path requested by the health probe (default `/`); any HTTP answer counts as alive. */
  probePath?: string;
}

/** Shell lines (`export K=V`) for `eval "$(stups-local up)"`. */
export function formatExports(environment: Record<string, string>): string {
  return Object.entries(environment)
    .map(([k, v]) => `export ${k}=${v}\n`)
    .join('');
}

import { DefinitionError } from '../../errors.js';
import type { IoHost } from '../../io/messages.js';
import type { AccountFacts, FactNeed } from '../template/account-facts.js';
import type { CfTemplate, JsonObject } from '../template/template-types.js';

/** The rendered `SenzaInfo` of a definition (StackVersion set from the VERSION argument). */
export interface SenzaInfo extends JsonObject {
  StackName: string;
  StackVersion: string;
}

/** What a component sees while collecting needs (before account facts exist). */
export interface NeedsContext {
  /** The component's logical name (the key in SenzaComponents). */
  name: string;
  info: SenzaInfo;
  region: string;
  /** Skip checks that need remote registries (the --force flag). */
  force: boolean;
}

/** What a component sees while generating: everything is in memory, no I/O. */
export interface ComponentContext extends NeedsContext {
  /** Arguments: one entry per declared parameter, plus `region` and `version`. */
  args: Record<string, string>;
  facts: AccountFacts;
  host: IoHost;
  /** Where the component is in the definition, for error messages: e.g. ['SenzaComponents', 1, 'AppServer']. */
  path: (string | number)[];
}

/**
 * One module per `Senza::*` component type. `needs` lists the account facts `apply` will read;
 * `apply` mutates the template (Resources, Mappings, Parameters, Outputs, ...) without I/O and throws
 * typed errors (DefinitionError for bad configuration, NotFoundError for things the account lacks).
 */
export interface ComponentType {
  readonly type: string;
  needs(config: JsonObject, ctx: NeedsContext): FactNeed[];
  apply(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void;
}

/** A configuration error at `key` of the component (the pipeline adds file, line and column). */
export function configError(
  ctx: { path: (string | number)[] },
  key: string | (string | number)[] | null,
  reason: string,
  hint?: string,
) {
  const rest = key === null ? [] : Array.isArray(key) ? key : [key];
  return new DefinitionError(reason, { path: [...ctx.path, ...rest] }, { code: 'definition.component', hint });
}

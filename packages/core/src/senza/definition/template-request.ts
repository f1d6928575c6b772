import { UsageError } from '../../errors.js';
import { resolveSenzaRegion } from '../stacks/senza-config.js';
import type { TemplateRequest } from '../template/template.js';
import { readParameterFile, validateVersion } from './arguments.js';
import { loadDefinitionFile } from './load-definition.js';

/** The options of the commands that compile a definition. */
export interface TemplateOptions {
  region?: string;
  parameterFile?: string;
  force: boolean;
  tag?: string[];
}

/** `--tag KEY=VALUE` items as stack tags (exactly one `=`, as the original). */
export function extraTagsOf(tags: string[] = []): { Key: string; Value: string }[] {
  return tags.map((t) => {
    const parts = t.split('=');
    if (parts.length !== 2) {
      throw new UsageError(`Invalid tag ${t}. Tags should be in the form of key=value`, { code: 'senza.tag-invalid' });
    }
    return { Key: parts[0] as string, Value: parts[1] as string };
  });
}

/**
 * DEFINITION VERSION [PARAMETER...] plus --parameter-file, --force, --tag and the region (resolved
 * by {@link resolveSenzaRegion}) as the engine's request to compile a template.
 */
export function templateRequestOf(
  definition: string,
  version: string,
  parameters: string[],
  options: TemplateOptions,
  env: NodeJS.ProcessEnv = process.env,
): TemplateRequest {
  const loaded = loadDefinitionFile(definition);
  // VERSION is an argument, checked as the original's click callback does: after the file is read, before
  // any step that prints (`Generating Cloud Formation template..` would otherwise end FAILED first).
  validateVersion(version);
  const fileParams = options.parameterFile ? readParameterFile(options.parameterFile) : [];
  const extraTags = extraTagsOf(options.tag);
  return {
    definition: loaded,
    version,
    parameters: [...parameters, ...fileParams],
    region: resolveSenzaRegion(options.region, env),
    force: options.force,
    extraTags,
  };
}

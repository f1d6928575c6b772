// `@stups/core/senza/definition`: reading a Senza definition and its arguments, and PyYAML's output format.
export { readParameterFile } from './arguments.js';
export { loadDefinitionFile, parseDefinition } from './load-definition.js';
export { dumpPyYaml } from './pyyaml-dump.js';
export { extraTagsOf, type TemplateOptions, templateRequestOf } from './template-request.js';

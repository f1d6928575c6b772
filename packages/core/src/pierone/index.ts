export {
  HELPER_USAGE,
  type HelperAnswer,
  type HelperIo,
  helperToken,
  runCredentialHelper,
} from './credential-helper.js';
export {
  type DockerConfigChange,
  type DockerConfigFile,
  type DoctorFinding,
  diagnoseDockerConfig,
  dockerConfigPath,
  HELPER_BINARY,
  HELPER_NAME,
  helperRegistries,
  MalformedDockerConfigError,
  onPath,
  readDockerConfig,
  registerCredentialHelper,
  removeRegistryLogin,
  storeRegistryToken,
} from './docker-config.js';
export {
  ARTIFACT_PATTERN,
  checkArtifact,
  checkTag,
  checkTeam,
  formatImageRef,
  type ImageRef,
  imageIdPrefix,
  parseImageRef,
  TAG_PATTERN,
  TEAM_PATTERN,
} from './image-ref.js';
export {
  type ImageLookup,
  latestTag,
  PIERONE_TIMEOUTS,
  type PierOneAuth,
  type PierOneCall,
  PierOneClient,
  type PierOneClientOptions,
  pieroneClient,
  type ScmSource,
  type TagLocation,
  type TagSummary,
} from './pierone-api.js';
export { type PierOneLoginRequest, type PierOneLoginResult, pieroneLogin } from './pierone-login.js';
export { PIERONE_MESSAGES } from './pierone-messages.js';
export {
  type PierOneSettings,
  pieroneUrlForRegistry,
  rememberPieroneUrl,
  resolvePieroneSettings,
} from './pierone-settings.js';
export {
  createdTime,
  defaultTagLimit,
  PIERONE_TABLES,
  type ScmSourceRow,
  scmSourceRow,
  type TagRow,
  tagRows,
} from './pierone-tables.js';
export { PIERONE_SCOPES, PIERONE_TOKEN, type PierOneAccess, pieroneToken } from './pierone-token.js';
export { normalizePieroneUrl, registryHost } from './pierone-url.js';

export {
  ACCESS_STATUSES,
  type AccessRequest,
  type AccessStatus,
  checkHostname,
  checkLifetime,
  checkReason,
  checkUsername,
  HOSTNAME_PATTERN,
  LIFETIME_MINUTES,
  parseTunnel,
  resolveUsername,
  splitUserHost,
  type Tunnel,
  USERNAME_PATTERN,
} from './access-request.js';
export {
  findInstanceByPrivateIp,
  findInstanceByPublicIp,
  inStupsCidr,
  listStackInstances,
  STUPS_CIDR,
  type StackInstance,
} from './ec2-instances.js';
export {
  type AccessRequestFilters,
  type AccessRequestRecord,
  type EvenClientOptions,
  expiryOf,
  listAccessRequests,
  normalizeEvenUrl,
  PIU_TOKEN_NAME,
  PIU_TOKEN_SCOPES,
  requestAccess,
} from './even-client.js';
export {
  EIC_BASTION_USER,
  EIC_KEY_SECONDS,
  EIC_REMOTE_USER,
  eicUserAgent,
  grantWithInstanceConnect,
  type InstanceConnectGrant,
  type InstanceConnectRequest,
  sanitizeReason,
} from './instance-connect.js';
export { findOddHost } from './odd-host.js';
export {
  type AccessGrant,
  type AccessRequestRow,
  type EvenAccessRequest,
  type InstanceConnectAccessRequest,
  listAccessRequestRows,
  type PiuContext,
  requestEvenAccess,
  requestInstanceConnectAccess,
} from './piu-access.js';
export { loadPiuConfig, type PiuConfig, piuConfigPath, rememberPiuConfig } from './piu-config.js';
export { PIU_MESSAGES } from './piu-messages.js';
export {
  assertLocalEvenOn,
  type PiuFlags,
  type PiuSettings,
  piuAwsRegion,
  piuUsername,
  resolveOddHost,
  resolvePiuSettings,
} from './piu-settings.js';
export {
  type AccessRoute,
  accessRoute,
  commandLine,
  type SshCommandOptions,
  shellQuote,
  sshCommand,
} from './ssh-command.js';
export {
  DEFAULT_PUBLIC_KEY_FILES,
  findSshPublicKey,
  parsePublicKey,
  type SshPublicKey,
} from './ssh-public-key.js';

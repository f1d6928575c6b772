export {
  type AwsProxy,
  type AwsProxyOptions,
  type Correction,
  defaultCorrections,
  FAULTS_PATH,
  startAwsProxy,
} from './aws/aws-proxy.js';
export { exportLines } from './aws/aws-service.js';
export { FaultSwitch, type StackCreationFault, type ThrottleFault } from './aws/faults.js';
export { type Platform, type PlatformOptions, startPlatform } from './aws/local-aws.js';
export {
  MOTO_LOG_FILE,
  MOTO_PID_FILE,
  MOTO_PORT_FILE,
  type MotoServer,
  type StartMotoOptions,
  startMoto,
  stopMotoByPidFile,
} from './aws/moto-server.js';
export {
  SEED_ACCOUNT_ALIAS,
  SEED_DOMAIN,
  SEED_IAM_CERTIFICATE_NAME,
  SEED_TAUPAGE_IMAGES,
  SEED_TOPIC_NAME,
  type SeededAccount,
  type SeedOptions,
  seedStupsAccount,
} from './aws/seed-account.js';
export { isRunning } from './contract/own-process.js';
export { resolveStateDir } from './daemon/platform-state.js';
export { writeCredentialsDir } from './oauth/credentials-dir.js';
export { LOCAL_PERSON, LOCAL_SERVICE_USER, type LocalAccount } from './oauth/oauth-accounts.js';
export { CI_CLIENT, LEGACY_CLIENT, RESOURCE_SERVERS, ZIGN_CLIENT_ID } from './oauth/oauth-clients.js';
export { type OAuthProvider, type OAuthProviderOptions, startOAuthProvider } from './oauth/oauth-provider.js';
export { type RegistryOptions, type RunningRegistry, startRegistry } from './registry/registry-server.js';
export {
  buildDemoImage,
  DEMO_HEALTH_PATH,
  DEMO_PORT,
  type DemoImageOptions,
  demoImageUnavailable,
  demoPage,
  runDockerCli,
  STATIC_BUSYBOX,
} from './runtime/demo-image.js';
export { privateDockerdPaths } from './runtime/docker-engine.js';
export { type RouterStartOptions, startRouter } from './runtime/router.js';
export {
  closeRouterConnections,
  type RouterAnswer,
  type RouterSample,
  routerRequest,
  sampleRouter,
} from './runtime/router-sample.js';
export { HEALTH_INTERVAL_ENV, ROUTER_ENV, SERVED_BY_HEADER } from './runtime/runtime-contract.js';

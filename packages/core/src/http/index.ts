export {
  DEFAULT_HTTP_TIMEOUTS,
  describeEndpoint,
  gatewayFetch,
  HTTP_MESSAGES,
  type HttpCall,
  type HttpTimeouts,
  HttpUnreachableError,
  httpFetch,
} from './http-gateway.js';
export { agentsFromEnv } from './network-agents.js';
export { bypassesProxy, proxyConfigured, proxyFor } from './proxy-env.js';

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
export { agentsFromEnv, bypassesProxy, proxyConfigured, proxyFor } from './proxy-env.js';

export {
  DEFAULT_HTTP_TIMEOUTS,
  describeEndpoint,
  gatewayFetch,
  type HttpCall,
  type HttpTimeouts,
  HttpUnreachableError,
  httpFetch,
} from './http-gateway.js';

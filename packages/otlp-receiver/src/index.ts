export { createOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';
export { otlpReceiverFactory } from './factory.js';
export {
  DEFAULTS,
  type OtlpReceiverOptions,
  type GrpcOptions,
  type HttpOptions,
  type TlsOptions,
  type CorsOptions,
  type KeepaliveOptions,
  type Authenticate,
} from './options.js';
export type {
  AuthResult,
  AuthenticateFn,
  RequestHeaders,
  ServerAuthenticator,
} from '@otlp-kafka/auth-extensions';

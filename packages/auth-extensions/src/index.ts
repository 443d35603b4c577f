export {
  REALM,
  headerValue,
  secretEquals,
  type AuthResult,
  type AuthenticateFn,
  type RequestHeaders,
  type ServerAuthenticator,
} from './authenticator.js';
export {
  BEARER_DEFAULTS,
  BearerTokenAuthenticator,
  bearerTokenAuthConfig,
  bearerTokenAuthExtensionFactory,
  createBearerTokenAuthenticator,
  type AuthenticatorTelemetry,
  type BearerTokenAuthOptions,
} from './bearer-token.js';
export {
  BasicAuthenticator,
  basicAuthConfig,
  basicAuthExtensionFactory,
  createBasicAuthenticator,
  parseHtpasswd,
  verifyPassword,
  type BasicAuthOptions,
} from './basic-auth.js';
export { SERVER_AUTHENTICATOR_TYPES, serverAuthenticatorFromExtension } from './resolve.js';

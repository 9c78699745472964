export { createHttpAgent, type HttpAgentOptions } from "./http-agent.ts";
export { ResponseTooLargeError, TransportError, UrlPolicyError } from "./http-errors.ts";
export {
  nextHop,
  type OpenedResponse,
  openWithScopedAuth,
  type ScopedAuthOptions,
  sendsCredentials,
} from "./open-with-scoped-auth.ts";
export { BlockedAddressError, OutboundGuard, type OutboundGuardOptions } from "./outbound-guard.ts";
export { isPublicAddress } from "./public-address.ts";
export {
  assertHttpUrl,
  defaultMaxResponseBytes,
  type HttpMethod,
  headerValue,
  type JsonRequest,
  type JsonRequestOptions,
  type JsonResponse,
  type RetryPolicy,
  requestJson,
  sendJson,
} from "./request-json.ts";
export { type Sleep, sleep } from "./sleep.ts";

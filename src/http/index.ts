export { createHttpAgent, type HttpAgentOptions } from "./http-agent.ts";
export { TransportError, UrlPolicyError } from "./http-errors.ts";
export {
  nextHop,
  type OpenedResponse,
  openWithScopedAuth,
  type ScopedAuthOptions,
  sendsCredentials,
} from "./open-with-scoped-auth.ts";
export {
  assertHttpUrl,
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

/** The post-deploy check as a library: typed results, no globals, no console, no exit. */
export * from "./types";
export { CheckSetupError } from "../errors";
export { parseDuration, formatDuration, TIMEOUT_BOUNDS } from "../text/duration";
export { decodeToken, checkClaims, checkAudience, checkAppOnly, checkRole, checkTenant, checkClient, checkLifetime, type TokenExpectations } from "./claims";
export { classifyAadsts, type AadstsDiagnosis, type Healing } from "./aadsts";
export { classifyExchangeAnswer, exchangeErrorText } from "./exchange";
export { DEFAULT_BACKOFF, backoffDelay, nextAttempt, parseRetryAfter, type BackoffPolicy, type NextAttempt } from "../net/backoff";
export { parseCertificatePem, type ParsedCertificate } from "./credentials";
export { federatedTokenFromFile, federatedTokenFromGitHub, gitHubOidcRequest, hasGitHubOidc } from "../credentials/federatedToken";
export { credentialValidityCheck, credentialUsable, parseExpiryDays, EXPIRY_WARNING_DAYS, MAX_EXPIRY_DAYS, type CredentialLifetime, type ExpiryPolicy } from "./expiry";
export { tenantProblem, clientIdProblem, requireTenant, requireClientId } from "./ids";
export { runCheck, prepareCheck, validateCheckOptions, CREDENTIAL_WINDOW_MS, type CheckOptions, type PreparedCheck } from "./run";
export { inspectToken, renderInspection, type InspectResult } from "./inspect";
export { toJson, renderJson, renderText, renderMarkdown } from "./report";
export { Redactor } from "../text/redact";
export { printable, printableJson } from "../text/terminalText";

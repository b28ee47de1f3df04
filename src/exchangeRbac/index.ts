/** Exchange's own RBAC for an app, as a library the provider plugin calls (provider/resources.ts): no console beyond progress lines. */
export { ExchangeRbacError, type ExchangeRbacErrorCode } from "./errors";
export { explainFailure, failureKind, type CmdletContext, type FailureKind } from "./explain";
export * from "./ids";
export { deployerSignIn, describeSignIn, deployerCredential, exchangeToken, authorityHostFor, type DeployerSignIn, type SignInTarget } from "./signIn";
export { RbacSession, TEST_EXCHANGE_URL_VARIABLE, type ExchangeTarget, type SessionDeps } from "./session";
export * from "./provider";

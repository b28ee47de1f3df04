/** Exchange's REST surfaces as a library: one client, no console, no globals. */
export { runCmdlet, cmdletUrl, cmdletHeaders, readCmdletPage, ExchangeClientError, MAX_PAGES, type CmdletCall, type CmdletAnswer, type CmdletPage, type ExchangeSurface } from "./client";
export { exchangeErrorText } from "./errorText";
export type { ExchangeTransport, HttpAnswer } from "./transport";
export { ADMIN_API_ENDPOINTS, ADMIN_API_ROLE_GROUPS, adminApiEndpointFor, type AdminApiEndpoint } from "./adminApi";

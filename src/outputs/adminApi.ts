/**
 * The Exchange Online Admin API (REST, preview) outputs of a tenant with `adminApi: true`: where to call it and the
 * token scope to call it with. Labelled preview while Microsoft's preview lasts: endpoints and the permission may change.
 */
import { adminApiUrl, exchangeScope, type Cloud } from "../facts";

export const ADMIN_API_PREVIEW_NOTE =
  "Preview: the Exchange Online Admin API (REST, Exchange.ManageAsAppV2) is in preview since November 2025; its endpoints and permission may change.";

export interface AdminApiOutputs {
  readonly preview: string;
  /** `{base}/adminapi/v2.0/{tenantId}/`: append an endpoint (AcceptedDomain, Mailbox, OrganizationConfig, ...). */
  readonly baseUrl: string;
  /** The endpoint `verify --api admin-v2` probes, `POST` with a `CmdletInput` body. */
  readonly acceptedDomain: string;
  /**
   * The client-credentials scope for a token the base accepts: its audience is the host called (in China another
   * host, so another token, than InvokeCommand's; see src/facts/clouds.ts for which values are inferred).
   */
  readonly scope: string;
}

export function adminApiOutputs(cloud: Cloud, tenantId: string): AdminApiOutputs {
  return {
    preview: ADMIN_API_PREVIEW_NOTE,
    baseUrl: adminApiUrl(cloud.adminApi.host, tenantId, ""),
    acceptedDomain: adminApiUrl(cloud.adminApi.host, tenantId, "AcceptedDomain"),
    scope: exchangeScope(cloud.adminApi.resource),
  };
}

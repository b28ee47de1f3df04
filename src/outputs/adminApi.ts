/**
 * The Exchange Online Admin API (REST, preview) outputs of a tenant with `adminApi: true`: where to call it. Labelled
 * preview while Microsoft's preview lasts: endpoints and the permission may still change.
 */
import { adminApiUrl, type Cloud } from "../facts";

export const ADMIN_API_PREVIEW_NOTE =
  "Preview: the Exchange Online Admin API (REST, Exchange.ManageAsAppV2) is in preview since November 2025; its endpoints and permission may change.";

export interface AdminApiOutputs {
  readonly preview: string;
  /** `{base}/adminapi/v2.0/{tenantId}/`: append an endpoint (AcceptedDomain, Mailbox, OrganizationConfig, ...). */
  readonly baseUrl: string;
  /** The endpoint `verify --api admin-v2` probes, `POST` with a `CmdletInput` body. */
  readonly acceptedDomain: string;
}

export function adminApiOutputs(cloud: Cloud, tenantId: string): AdminApiOutputs {
  return {
    preview: ADMIN_API_PREVIEW_NOTE,
    baseUrl: adminApiUrl(cloud.adminApiBase, tenantId, ""),
    acceptedDomain: adminApiUrl(cloud.adminApiBase, tenantId, "AcceptedDomain"),
  };
}

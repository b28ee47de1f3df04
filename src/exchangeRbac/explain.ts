/**
 * A failed cmdlet answer in words: what kind of failure it is (so the provider knows whether to retry, to treat
 * "gone" as gone, or to stop) and the error the user sees, with Exchange's own text and a fix.
 */
import type { CmdletAnswer } from "../exchange";
import { ExchangeRbacError } from "./errors";

export type FailureKind = "transient" | "unauthorized" | "forbidden" | "notFound" | "exists" | "other";

const FORBIDDEN = /is not allowed to call|not recognized as (the|a) name of a cmdlet|isn't within your current (management )?role|not within your current (management )?role|access (is )?denied|insufficient (rights|permissions)/i;
const NOT_FOUND = /couldn't be found|could not be found|couldn't find|could not find|wasn't found|was not found|doesn't exist|does not exist|not found|isn't a member|is not a member/i;
const EXISTS = /already exists|already a member|is already (registered|assigned|present)/i;

/** The kind of a failed answer. 429 and 5xx can heal; the rest is read from Exchange's words. */
export function failureKind(answer: Pick<CmdletAnswer, "status" | "errorText">): FailureKind {
  const text = answer.errorText ?? "";
  if (answer.status === 429 || answer.status >= 500) return "transient";
  // Exchange answers a caller without Organization Management with 401 "User is not allowed to call <cmdlet>".
  if (answer.status === 403 || FORBIDDEN.test(text)) return "forbidden";
  if (answer.status === 401) return "unauthorized";
  if (EXISTS.test(text)) return "exists";
  if (answer.status === 404 || NOT_FOUND.test(text)) return "notFound";
  return "other";
}

/** What was being done, for the message: the cmdlet, the tenant, and the names the stack gave. */
export interface CmdletContext {
  readonly cmdlet: string;
  readonly tenantId: string;
  /** The object in words: `management role assignment of "View-Only Configuration" to app 0a1b…`. */
  readonly what: string;
  /** For a "not found": which names the stack gave, so the fix names the one Exchange did not know. */
  readonly names?: {
    readonly role?: string;
    /** Several roles at once (New-RoleGroup -Roles): the fix names the one Exchange's text mentions. */
    readonly roles?: readonly string[];
    readonly roleGroup?: string;
    readonly managementScope?: string;
    readonly administrativeUnit?: string;
    readonly appId?: string;
  };
  /** For "already exists": the import id that adopts it. */
  readonly importId?: string;
}

const SIGN_IN_AS_ADMIN =
  "Run the deployment as an identity with Exchange's Organization Management: in Entra, Exchange Administrator or Global Administrator (a user: `az login --tenant <tenant>`; a pipeline's service principal: also grant it Office 365 Exchange Online › Exchange.ManageAsApp with admin consent). A new role can take minutes to reach Exchange.";

function quoted(text: string | undefined): string {
  if (!text) return "";
  const short = text.length > 400 ? `${text.slice(0, 400)}…` : text;
  return `: "${short}"`;
}

/** The error for a failed answer (of any kind but a healed transient one). */
export function explainFailure(context: CmdletContext, answer: Pick<CmdletAnswer, "status" | "errorText">): ExchangeRbacError {
  const kind = failureKind(answer);
  const said = quoted(answer.errorText);
  const head = `${context.cmdlet} for the ${context.what} in tenant ${context.tenantId} failed (${answer.status})${said}`;
  switch (kind) {
    case "unauthorized":
      return new ExchangeRbacError(
        "ERR_UNAUTHORIZED",
        `${head}: Exchange did not accept the deploying identity's token`,
        `Sign in to tenant ${context.tenantId} in its cloud (ARM_TENANT_ID, ARM_ENVIRONMENT or \`az login --tenant\`). ${SIGN_IN_AS_ADMIN}`,
        answer.errorText,
      );
    case "forbidden":
      return new ExchangeRbacError("ERR_NOT_ORGANIZATION_MANAGEMENT", `${head}: the deploying identity may not manage Exchange's RBAC`, SIGN_IN_AS_ADMIN, answer.errorText);
    case "notFound":
      return new ExchangeRbacError("ERR_NOT_FOUND", `${head}: Exchange does not know a name the stack gave`, notFoundRemedy(context, answer.errorText ?? ""), answer.errorText);
    case "exists":
      return new ExchangeRbacError(
        "ERR_EXISTS",
        `${head}: it already exists in Exchange and this stack did not create it`,
        context.importId
          ? `Adopt it with the import id ${context.importId} (docs/least-privilege.md, "Exchange RBAC resources"), or remove it in Exchange and run \`pulumi up\` again.`
          : "Remove it in Exchange, or adopt it with its import id (docs/least-privilege.md, \"Exchange RBAC resources\").",
        answer.errorText,
      );
    case "transient":
      return new ExchangeRbacError("ERR_UNAVAILABLE", `${head}: Exchange kept answering ${answer.status}`, "Exchange is throttling or failing on its side: run `pulumi up` again later; see https://status.cloud.microsoft if it persists.", answer.errorText);
    default:
      return new ExchangeRbacError("ERR_EXCHANGE", head, "Check the exchangeRoles entry (role, scope, role group) against the tenant's Exchange RBAC.", answer.errorText);
  }
}

/** The fix for a "not found": the name Exchange's text mentions, else every name the stack gave. */
function notFoundRemedy(context: CmdletContext, text: string): string {
  const n = context.names ?? {};
  const mentions = (name: string | undefined): name is string => Boolean(name) && text.toLowerCase().includes(name!.toLowerCase());
  if (mentions(n.managementScope) || /scope/i.test(text)) {
    return `Create the management scope ${JSON.stringify(n.managementScope ?? "")} first (New-ManagementScope), or check its name in exchangeRoles (Get-ManagementScope lists them).`;
  }
  if (mentions(n.administrativeUnit) || /administrative unit/i.test(text)) {
    return `Check the administrative unit id ${JSON.stringify(n.administrativeUnit ?? "")} in exchangeRoles: it is the unit's object id in Entra (Get-AdministrativeUnit lists them).`;
  }
  if (mentions(n.roleGroup) || /role ?group/i.test(text)) {
    return `Check the role group's name ${JSON.stringify(n.roleGroup ?? "")} in exchangeRoles (Get-RoleGroup lists them).`;
  }
  const role = n.role ?? n.roles?.find(mentions);
  if (mentions(role) || /management ?role/i.test(text)) {
    return `Check the role's name ${JSON.stringify(role ?? "")} in exchangeRoles (Get-ManagementRole lists them).`;
  }
  if (mentions(n.appId) || /service ?principal/i.test(text)) {
    return `Exchange has no service principal for app ${n.appId ?? ""}: it is registered by this stack's ExchangeServicePrincipal first; run \`pulumi up\` again (after \`pulumi refresh\` if it was removed by hand).`;
  }
  return "Check the names in exchangeRoles (role, scope, role group) against the tenant's Exchange RBAC.";
}

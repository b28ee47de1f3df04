/**
 * The `adopt` key: an app made by hand (the portal click path this project replaces), brought into the stack with
 * Pulumi's `import` option instead of being created again. It names the objects that exist: the app registration,
 * its service principal, and, where they were already granted, the admin consent and the role assignment.
 */
import { z } from "zod";
import { isGuid, MANAGE_AS_APP_ROLE, wellKnownId } from "../facts";
import { guid as objectId } from "./azureResourceFields";
import { schemaWording } from "./schemaWording";
import type { Adoption } from "./stackConfig";
import { didYouMean } from "./suggest";
import { json, type IssueList, type RawConfig } from "./values";

/**
 * Graph's assignment ids are not GUIDs. An app role assignment's `id` is 43 base64url characters; a directory role
 * assignment's is the same with a suffix such as `-1`. Microsoft documents no format: the shapes are inferred from
 * Graph's answers and the azuread provider's import examples (`/servicePrincipals/{id}/appRoleAssignedTo/{43
 * characters}`, `ePROZI_iKE653D_d6aoLHyr-lKgHI8ZGiIdz8CLVcng-1`). A GUID here is one of the GUIDs printed next to the
 * assignment (the role's id, the principal's, the resource's): the message says which, when it knows.
 */
const APP_ROLE_ASSIGNMENT = /^[A-Za-z0-9_-]{43}$/;
const DIRECTORY_ROLE_ASSIGNMENT = /^[A-Za-z0-9_-]{43,}$/;

const FIND_CONSENT = `az rest --url https://graph.microsoft.com/v1.0/servicePrincipals/<servicePrincipalObjectId>/appRoleAssignments --query "value[?appRoleId=='${MANAGE_AS_APP_ROLE.id}'].id" -o tsv`;
const FIND_ROLE = `az rest --url "https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignments?\\$filter=principalId eq '<servicePrincipalObjectId>'" --query "value[].{id:id,role:roleDefinitionId}" -o tsv`;

const assignmentShapes = {
  consentAssignmentId: {
    shape: APP_ROLE_ASSIGNMENT,
    what: "an app role assignment id (the app's Exchange.ManageAsApp assignment, its admin consent): 43 letters, digits, - and _, not a GUID, for example LQPyyKBfgUO4Dkw7aRcnm3x0mjXKs_FMhqn3JY5OXGk",
    guidIs: "the GUIDs beside it are the app role's id (appRoleId), the app's service principal (principalId) and Exchange Online's (resourceId)",
    find: FIND_CONSENT,
  },
  roleAssignmentId: {
    shape: DIRECTORY_ROLE_ASSIGNMENT,
    what: "a directory role assignment id (the app's role assignment): 43 or more letters, digits, - and _, usually ending -1, not a GUID, for example ePROZI_iKE653D_d6aoLHyr-lKgHI8ZGiIdz8CLVcng-1",
    guidIs: "the GUIDs beside it are the role's template id (roleDefinitionId) and the app's service principal (principalId)",
    find: FIND_ROLE,
  },
} as const;

/** An assignment id of its own shape; a GUID is named for what it is (a role's template id, an app role's id). */
const assignmentId = (field: keyof typeof assignmentShapes) => {
  const { shape, what, guidIs, find } = assignmentShapes[field];
  return z.string().superRefine((value, ctx) => {
    if (shape.test(value.trim())) return;
    const known = isGuid(value.trim()) ? wellKnownId(value) : undefined;
    const why = known
      ? `is ${known.is}, not an assignment: ${field} takes ${what}`
      : isGuid(value.trim())
        ? `is a GUID, and ${field} takes ${what} (${guidIs})`
        : `must be ${what}`;
    ctx.addIssue({ code: "custom", message: `${why}. Find it: ${find}` });
  });
};

const adoptSchema = z
  .object({
    clientId: objectId("the app's Application (client) ID, on its Overview page"),
    applicationObjectId: objectId("the app registration's Object ID, on its Overview page"),
    servicePrincipalObjectId: objectId("Enterprise applications → the app → Object ID"),
    consentAssignmentId: assignmentId("consentAssignmentId").optional(),
    exchangeServicePrincipalObjectId: objectId("az ad sp show --id 00000002-0000-0ff1-ce00-000000000000 --query id -o tsv").optional(),
    roleAssignmentId: assignmentId("roleAssignmentId").optional(),
  })
  .strict()
  .refine((v) => (v.consentAssignmentId === undefined) === (v.exchangeServicePrincipalObjectId === undefined), {
    error: "consentAssignmentId and exchangeServicePrincipalObjectId go together: the consent's import id names both",
  });

export const ADOPT_FIELDS = Object.keys(adoptSchema.shape);

/** The adoption the stack asks for, null for none, undefined when the value is bad. */
export function parseAdopt(raw: RawConfig, issues: IssueList): Adoption | null | undefined {
  if (raw.adopt === undefined) return null;
  const value = json(raw, "adopt", issues, "a map of the existing app's ids");
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return issues.add("adopt", value, `must be a map of the existing app's ids: ${ADOPT_FIELDS.join(", ")}`);
  }
  const parsed = adoptSchema.safeParse(value, { error: schemaWording("adopt") });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) issues.add(`adopt.${key}`, (value as Record<string, unknown>)[key], `is not a field of adopt.${didYouMean(key, ADOPT_FIELDS)} Fields: ${ADOPT_FIELDS.join(", ")}.`);
    } else {
      const field = issue.path.length ? `adopt.${issue.path.join(".")}` : "adopt";
      const at = issue.path.length ? (value as Record<string, unknown>)[String(issue.path[0])] : value;
      issues.add(field, at, issue.message);
    }
  }
  return undefined;
}

/**
 * The `adopt` key: an app made by hand (the portal click path this project replaces), brought into the stack with
 * Pulumi's `import` option instead of being created again. It names the objects that exist: the app registration,
 * its service principal, and, where they were already granted, the admin consent and the role assignment.
 */
import { z } from "zod";
import { guid as objectId } from "./azureResourceFields";
import { schemaWording } from "./schemaWording";
import type { Adoption } from "./stackConfig";
import { didYouMean } from "./suggest";
import { json, type IssueList, type RawConfig } from "./values";

/** Graph ids of app role and directory role assignments: base64url-like, no slashes. */
const assignmentId = (where: string) =>
  z.string().regex(/^[A-Za-z0-9_-]{10,}$/, { error: `must be an assignment id (letters, digits, - and _): ${where}` });

const adoptSchema = z
  .object({
    clientId: objectId("the app's Application (client) ID, on its Overview page"),
    applicationObjectId: objectId("the app registration's Object ID, on its Overview page"),
    servicePrincipalObjectId: objectId("Enterprise applications → the app → Object ID"),
    consentAssignmentId: assignmentId("az rest --url https://graph.microsoft.com/v1.0/servicePrincipals/<servicePrincipalObjectId>/appRoleAssignments --query \"value[?appRoleId=='dc50a0fb-09a3-484d-be87-e023b12c6440'].id\"").optional(),
    exchangeServicePrincipalObjectId: objectId("az ad sp show --id 00000002-0000-0ff1-ce00-000000000000 --query id -o tsv").optional(),
    roleAssignmentId: assignmentId("az rest --url \"https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignments?\\$filter=principalId eq '<servicePrincipalObjectId>'\" --query value[].id").optional(),
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

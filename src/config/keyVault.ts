/**
 * The `keyVault` key: an Azure Key Vault the stack creates to hold the credentials it generates (the client secret,
 * the generated certificate as PKCS#12), readable only by the principals it names ("Key Vault Secrets User").
 */
import { z } from "zod";
import { KEY_VAULT_NAME_RULE, isKeyVaultName } from "../check/keyVault";
import { guid, location, resourceGroup, subscriptionId } from "./azureResourceFields";
import { adviceFor } from "./concepts";
import { schemaWording } from "./schemaWording";
import type { KeyVaultConfig } from "./stackConfig";
import { didYouMean } from "./suggest";
import { json, type IssueList, type RawConfig } from "./values";

/** What ARM must be told a reader is: it refuses an assignment whose principalType differs from the directory's. */
export const READER_TYPES = ["ServicePrincipal", "User", "Group"] as const;

const principalId = guid("the principal's object id: a service principal's or managed identity's Object (principal) ID, a user's or group's Object ID");
/** A reader written as a map, for a user or a group (a GUID alone is a service principal). */
const typedReader = z
  .object({
    principalId,
    type: z.enum(READER_TYPES, { error: (issue) => `must be one of ${READER_TYPES.join(", ")}.${typeof issue.input === "string" ? adviceFor("readerType", issue.input, READER_TYPES) : ""}` }),
  })
  .strict();

const schema = z
  .object({
    // Vault names are case-insensitive and part of a DNS name: one spelling, lower case, everywhere.
    name: z
      .string()
      .refine(isKeyVaultName, { error: KEY_VAULT_NAME_RULE })
      .transform((v) => v.toLowerCase()),
    resourceGroup,
    location,
    subscriptionId,
    readers: z
      .array(z.unknown(), { error: (issue) => (issue.input === undefined ? "is required for keyVault: the principals that may read the credentials, a list of object ids" : "must be a list of principal object ids (GUIDs)") })
      .min(1, { error: "must name at least one principal that reads the credentials (a pipeline's service principal, an Automation account's identity): a vault nobody may read is of no use" }),
  })
  .strict();

const FIELDS = Object.keys(schema.shape);

/** The vault the stack stores its credentials in, null for none, undefined when the value is bad. */
export function parseKeyVault(raw: RawConfig, issues: IssueList): KeyVaultConfig | null | undefined {
  if (raw.keyVault === undefined) return null;
  const value = json(raw, "keyVault", issues, "a map with name, resourceGroup, location and readers");
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return issues.add("keyVault", value, `must be a map with ${FIELDS.join(", ")} (subscriptionId optional)`);
  }
  const entry = value as Record<string, unknown>;
  const parsed = schema.safeParse(entry, { error: schemaWording("keyVault") });
  if (parsed.success) {
    const readers = parseReaders(parsed.data.readers, issues);
    return readers && { ...parsed.data, readers };
  }
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) issues.add(`keyVault.${key}`, entry[key], `is not a field of keyVault.${didYouMean(key, FIELDS)} Fields: ${FIELDS.join(", ")}.`);
      continue;
    }
    const [field, index] = issue.path;
    const own = field === undefined ? entry : entry[String(field)];
    // A bad reader is named with its place in the list, and shown alone.
    const named = typeof index === "number" ? `keyVault.${String(field)}[${index}]` : field === undefined ? "keyVault" : `keyVault.${String(field)}`;
    issues.add(named, typeof index === "number" && Array.isArray(own) ? own[index] : own, issue.message);
  }
  return undefined;
}

/**
 * Each reader alone, so a bad one is named by its place in the list and shown by itself. A GUID alone is a service
 * principal (a pipeline's, a managed identity's: the usual reader); a user or a group is a map with its type.
 */
function parseReaders(list: readonly unknown[], issues: IssueList): KeyVaultConfig["readers"] | undefined {
  const readers: KeyVaultConfig["readers"][number][] = [];
  list.forEach((item, index) => {
    const at = `keyVault.readers[${index}]`;
    if (typeof item === "string") {
      const id = principalId.safeParse(item);
      return id.success ? void readers.push({ principalId: id.data, type: "ServicePrincipal" }) : void issues.add(at, item, id.error.issues[0]!.message);
    }
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      return void issues.add(at, item, "must be a principal's object id (a GUID, for a service principal), or a map with principalId and type (ServicePrincipal, User or Group)");
    }
    const entry = item as Record<string, unknown>;
    const parsed = typedReader.safeParse(entry, { error: schemaWording("a keyVault reader") });
    if (parsed.success) return void readers.push(parsed.data);
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") for (const key of issue.keys) issues.add(`${at}.${key}`, entry[key], "is not a field of a reader: principalId and type");
      else issues.add(`${at}.${String(issue.path[0])}`, entry[String(issue.path[0])], issue.message);
    }
  });
  if (readers.length !== list.length) return undefined;
  const ids = readers.map((r) => r.principalId);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) return issues.add("keyVault.readers", list, `names ${repeated} twice: name each reader once`);
  return readers;
}

/**
 * Why an app with this config has nothing for a vault to hold, or undefined when it has a credential to store. (A
 * managed identity with a vault is a key its mode ignores: src/config/modes.ts.)
 */
export function nothingToStore(tenant: { certificateKind: "generated" | "supplied" | undefined; clientSecret: boolean }): string | undefined {
  if (tenant.clientSecret || tenant.certificateKind === "generated") return undefined;
  const what = tenant.certificateKind === "supplied" ? "a supplied certificate, whose private key never reaches the stack" : "no client secret and no generated certificate";
  return `has nothing to store: the app has ${what}. Set clientSecret: true or certificate: generate, or remove keyVault`;
}

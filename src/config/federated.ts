/**
 * The `federatedCredentials` key: a list of sources, each checked by its platform's schema, its issues worded in
 * the project's words (`schemaWording`).
 */
import { federatedCredential, type FederatedCredential } from "../credentials/federation";
import { FEDERATED_FIELDS, FEDERATED_KINDS, MAX_FEDERATED_CREDENTIALS, federatedCredentialSchema } from "./federatedSchema";
import { adviceFor } from "./concepts";
import { schemaWording } from "./schemaWording";
import { didYouMean } from "./suggest";
import { json, type IssueList, type RawConfig } from "./values";

function valueAt(entry: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, p) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined), entry);
}

/** One entry: the credential, or undefined with its issues recorded under `federatedCredentials[i]`. */
function parseEntry(entry: unknown, key: string, issues: IssueList): FederatedCredential | undefined {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    return issues.add(key, entry, `must be a map with a kind (one of ${FEDERATED_KINDS.join(", ")}) and that kind's fields`);
  }
  const kind = (entry as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !(FEDERATED_KINDS as readonly string[]).includes(kind)) {
    const hint = typeof kind === "string" ? adviceFor("federatedKind", kind, FEDERATED_KINDS) : "";
    return issues.add(`${key}.kind`, kind, `must be one of ${FEDERATED_KINDS.join(", ")}.${hint}`);
  }
  const parsed = federatedCredentialSchema.safeParse(entry, { error: schemaWording(`kind ${kind}`) });
  if (parsed.success) return federatedCredential(parsed.data);
  const fields = FEDERATED_FIELDS[kind as keyof typeof FEDERATED_FIELDS];
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String);
    const field = path.length ? `${key}.${path.join(".")}` : key;
    if (issue.code === "unrecognized_keys") {
      for (const unknown of issue.keys) {
        issues.add(`${key}.${unknown}`, valueAt(entry, [unknown]), `is not a field of kind ${kind}.${didYouMean(unknown, fields)} Fields: ${fields.join(", ")}.`);
      }
    } else {
      issues.add(field, valueAt(entry, issue.path), issue.message);
    }
  }
  return undefined;
}

/**
 * Every entry is checked, and any bad one makes the whole key invalid (undefined): a credential list with a
 * hole must not also be judged as "no credential at all".
 */
export function parseFederated(raw: RawConfig, issues: IssueList): FederatedCredential[] | undefined {
  if (raw.federatedCredentials === undefined) return [];
  const list = json(raw, "federatedCredentials", issues, "a list of credentials, each with a kind");
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return issues.add("federatedCredentials", list, "must be a list of credentials, each with a kind");
  if (list.length > MAX_FEDERATED_CREDENTIALS) {
    return issues.add("federatedCredentials", `${list.length} entries`, `Entra allows at most ${MAX_FEDERATED_CREDENTIALS} federated credentials on one application`);
  }
  const before = issues.count;
  const credentials: FederatedCredential[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry: unknown, index) => {
    const key = `federatedCredentials[${index}]`;
    const credential = parseEntry(entry, key, issues);
    if (!credential) return;
    const earlier = seen.get(`${credential.issuer} ${credential.subject}`) ?? seen.get(`name ${credential.name}`);
    if (earlier !== undefined) {
      issues.add(key, credential.subject, `duplicates federatedCredentials[${earlier}] (same issuer and subject, or same name): Entra refuses duplicates; remove one`);
      return;
    }
    seen.set(`${credential.issuer} ${credential.subject}`, index);
    seen.set(`name ${credential.name}`, index);
    credentials.push(credential);
  });
  return issues.count === before ? credentials : undefined;
}

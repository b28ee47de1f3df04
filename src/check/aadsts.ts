/**
 * Entra ID (AADSTS) errors explained: what the code means here, what to change, and whether waiting can fix it.
 * Codes and meanings: FACTS.md "AADSTS codes worth a clear diagnosis", plus the federated-credential family.
 */
import { githubSubjectMismatch } from "./federatedSubject";

/**
 * `never`: a person must change something. `window`: it heals when it is only propagation (a new app, secret,
 * certificate or federated credential), so retry it only for a while after the start (the credential window).
 * `always`: the service is busy or down; retry until the deadline.
 */
export type Healing = "never" | "window" | "always";

export interface AadstsDiagnosis {
  /** The numeric code, for example 7000215; absent when the answer carried none. */
  readonly code?: number;
  readonly explanation: string;
  readonly remedy: string;
  readonly healing: Healing;
}

interface KnownCode {
  readonly explanation: string;
  readonly remedy: string;
  readonly healing: Healing;
}

/** How the stack's `federatedCredentials` write either GitHub subject form. */
const GITHUB_SUBJECT_FIX =
  "For GitHub, the entry's repository gives the form: OWNER/REPO for repo:OWNER/REPO:…, OWNER@OWNER_ID/REPO@REPO_ID for repo:OWNER@OWNER_ID/REPO@REPO_ID:… " +
  "(gh api repos/OWNER/REPO --jq '.owner.id, .id' prints the ids); then branch (:ref:refs/heads/…), tag (:ref:refs/tags/…), environment (:environment:…) or pullRequest: true (:pull_request).";

const KNOWN: Readonly<Record<number, KnownCode>> = {
  7000215: {
    explanation: "invalid client secret: Entra ID does not know this secret for this app (a new secret can be refused for a minute or two while it propagates)",
    remedy: "Check that the secret is the secret's value (not its id) of this app registration; if it was just created, wait and retry; otherwise create a new one.",
    healing: "window",
  },
  7000222: {
    explanation: "the client secret has expired",
    remedy: "Create a new client secret (rotate it in the stack) and use its value.",
    healing: "never",
  },
  700016: {
    explanation: "the application was not found in the tenant: a wrong tenant or client id, or an app so new it has not replicated yet",
    remedy: "Check --tenant-id and --client-id (the application (client) id, not the object id); a brand-new app can take a minute to appear.",
    healing: "window",
  },
  90002: {
    explanation: "the tenant was not found: the tenant id or domain is wrong, or it belongs to another cloud",
    remedy: "Check --tenant-id and --environment (GCC High, DoD and China tenants live on their own login hosts).",
    healing: "never",
  },
  500011: {
    explanation: "the resource principal (Office 365 Exchange Online) is not in the tenant: the tenant has no Exchange Online",
    remedy: "The tenant needs an Exchange Online licence (any plan) so that Exchange's service principal exists; check --environment too.",
    healing: "never",
  },
  700027: {
    explanation: "the certificate assertion is invalid: its certificate is not registered on this app (a new certificate can be refused briefly while it propagates) or it is signed with another key",
    remedy: "Upload this certificate (the public part) to the app registration, and make sure the PEM's private key belongs to it.",
    healing: "window",
  },
  1002012: {
    explanation: "the scope is not <resource>/.default: app-only tokens need the .default scope",
    remedy: "Ask for scope https://outlook.office365.com/.default (or your cloud's Exchange resource followed by /.default).",
    healing: "never",
  },
  // InvalidMultipleResourcesScope: "The provided value for the input parameter scope is not valid because it contains
  // more than one resource." A token is for one resource (Microsoft's error lookup,
  // https://login.microsoftonline.com/error?code=700022; FACTS.md, December 2026).
  700022: {
    explanation: "the scope names more than one resource (InvalidMultipleResourcesScope): a token is issued for one resource only",
    remedy: "Ask for exactly one scope, one resource's /.default: https://outlook.office365.com/.default (or your cloud's Exchange resource followed by /.default), and nothing beside it.",
    healing: "never",
  },
  70011: {
    explanation: "the scope is invalid",
    remedy: "Ask for exactly one scope: the Exchange resource followed by /.default.",
    healing: "never",
  },
  100007: {
    explanation: "a regional token endpoint was used where it is not supported",
    remedy: "Use the global authority host of the cloud (for example https://login.microsoftonline.com), not a regional one.",
    healing: "never",
  },
  // The federated family. 70021 and 700213 can both be a subject mismatch, and for GitHub Actions the likely one is
  // the subject's form (name-only repo:OWNER/REPO:… or immutable repo:OWNER@OWNER_ID/REPO@REPO_ID:…): when Entra's
  // text quotes a GitHub subject, federatedSubject.ts words the exact fix instead of the general one below.
  70021: {
    explanation:
      "no federated identity credential matches the presented assertion (issuer, subject and audience must all match); for GitHub Actions, often the subject's form: " +
      "GitHub's immutable repo:OWNER@OWNER_ID/REPO@REPO_ID:… (repositories created, renamed or transferred since 15 July 2026, or opted in) against a credential for repo:OWNER/REPO:…, or the reverse",
    remedy: `Make the app's federated credential issuer, subject and audience match the token's iss, sub and aud exactly (a new one can take a minute to apply). ${GITHUB_SUBJECT_FIX}`,
    healing: "window",
  },
  700211: {
    explanation: "no federated identity credential matches the assertion's issuer",
    remedy: "Set the federated credential's issuer to the assertion's iss exactly.",
    healing: "window",
  },
  700212: {
    explanation: "no federated identity credential matches the assertion's audience",
    remedy: "Set the federated credential's audience to api://AzureADTokenExchange and request the assertion for that audience.",
    healing: "window",
  },
  700213: {
    explanation:
      "no federated identity credential matches the assertion's subject; for GitHub Actions, often the subject's form: " +
      "GitHub's immutable repo:OWNER@OWNER_ID/REPO@REPO_ID:… (repositories created, renamed or transferred since 15 July 2026, or opted in) against a credential for repo:OWNER/REPO:…, or the reverse",
    remedy: `Set the federated credential's subject to the assertion's sub exactly. ${GITHUB_SUBJECT_FIX}`,
    healing: "window",
  },
  700024: {
    explanation: "the client assertion is outside its valid time range (expired or not yet valid)",
    remedy: "Use a fresh federated token; check this machine's clock.",
    healing: "never",
  },
  53003: {
    explanation: "a Conditional Access policy blocked the sign-in",
    remedy: "Exclude this workload identity from the blocking Conditional Access policy, or run from an allowed location.",
    healing: "never",
  },
};

/** The AADSTS code at the start of an error_description ("AADSTS7000215: Invalid client secret ..."). */
export function aadstsCodeOf(description: string | undefined): number | undefined {
  const match = /AADSTS(\d+)/.exec(description ?? "");
  return match ? Number(match[1]) : undefined;
}

/** The first sentence of Entra's description, without its trace and correlation ids. */
function firstSentence(description: string): string {
  const line = description.split(/\r?\n/)[0] ?? "";
  return line.replace(/\s*Trace ID:.*$/i, "").replace(/^AADSTS\d+:\s*/, "").trim();
}

/**
 * Explains a token endpoint's error answer. `body` is Entra's JSON error body
 * (`{error, error_description, error_codes, ...}`) or anything else; `status` is the HTTP status.
 */
export function classifyAadsts(status: number | undefined, body: unknown): AadstsDiagnosis {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const description = typeof record.error_description === "string" ? record.error_description : undefined;
  const codes = Array.isArray(record.error_codes) ? record.error_codes.filter((c): c is number => typeof c === "number") : [];
  const code = codes[0] ?? aadstsCodeOf(description);
  const said = description ? firstSentence(description) : typeof record.error === "string" ? record.error : undefined;
  const known = code !== undefined ? KNOWN[code] : undefined;
  if (known) {
    const github = code === 70021 || code === 700213 ? githubSubjectMismatch(description) : undefined;
    if (github) {
      const what = code === 70021 ? "no federated identity credential matches the presented assertion" : "no federated identity credential matches the assertion's subject";
      const remedy = code === 70021 ? `${github.remedy} Check its issuer and audience too.` : github.remedy;
      return { code, explanation: `AADSTS${code}: ${what}: ${github.about}`, remedy, healing: known.healing };
    }
    return { code, explanation: `AADSTS${code}: ${known.explanation}`, remedy: known.remedy, healing: known.healing };
  }
  if (status === 429) {
    return { code, explanation: `Entra ID is throttling token requests (429)${said ? `: ${said}` : ""}`, remedy: "Wait; the check retries after the time Entra ID asks for.", healing: "always" };
  }
  if (status !== undefined && status >= 500) {
    return { code, explanation: `Entra ID answered ${status}${said ? `: ${said}` : ""}`, remedy: "A service-side problem: the check retries; if it persists, see https://status.cloud.microsoft.", healing: "always" };
  }
  if (code !== undefined) {
    return {
      code,
      explanation: `AADSTS${code}${said ? `: ${said}` : ""}`,
      remedy: `Look the code up at https://login.microsoftonline.com/error?code=${code}.`,
      healing: "never",
    };
  }
  return {
    explanation: `the token endpoint answered ${status ?? "without a status"}${said ? `: ${said}` : ""}`,
    remedy: "Check the authority host and tenant id.",
    healing: "never",
  };
}

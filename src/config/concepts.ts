/**
 * "Did you mean" by meaning, not by spelling. Where a value names another concept (`kind: systemAssigned` is not a
 * misspelt userAssigned; `environment: AzureUSGovernment` is Azure's name for two Microsoft 365 clouds), the nearest
 * spelling sends the user the wrong way. Each field lists what people write for another concept and the advice that
 * fits; anything else gets a suggestion only when it abbreviates or misspells one value word for word.
 */
import { normalizeName } from "../facts";
import { suggestSameConcept } from "./suggest";

export interface WrongConcept {
  /** What people write (compared as names: case, spaces, dashes and underscores do not matter), or a pattern. */
  readonly typed: readonly string[] | RegExp;
  /** The value to write instead, when one fits. */
  readonly meant?: string;
  /** Why, and what to do. */
  readonly why: string;
}

const ROTATION_WORDS = ["auto", "automatic", "true", "yes", "on", "enabled", "scheduled", "daily", "weekly", "monthly", "quarterly", "yearly", "annually", "rotate", "now"];

/** A rotation counter (`clientSecretRotation`, `certificateRotation`) given a switch, a schedule or a lifetime. */
function rotation(lifetimeKey: string, section: string): readonly WrongConcept[] {
  const why = `It is a generation counter, not a switch or a schedule: it starts at 0, and adding 1 (then pulumi up) rotates once, keeping the previous credential valid until the next rotation. Nothing rotates by itself; a scheduled pipeline can add 1 (see docs/rotation.md, "${section}")`;
  return [
    { typed: ROTATION_WORDS, why },
    { typed: /^\d+\s*(d|days?|w|weeks?|m|mo|months?|y|years?)$/i, why: `${why}. How long each credential lasts is ${lifetimeKey}` },
    { typed: /^\d{4}-\d{2}-\d{2}/, why: `${why}. How long each credential lasts is ${lifetimeKey}, in days` },
  ];
}

export const CONCEPTS = {
  environment: [
    { typed: ["AzureCloud", "AzurePublicCloud", "AzurePublic", "Azure", "Commercial", "Global", "Worldwide", "WW", "O365Default", "Default", "Microsoft365", "M365", "Office365", "O365"], meant: "public", why: "environment is the tenant's Microsoft 365 cloud, and the worldwide (commercial) one is public." },
    { typed: ["GCC", "GCCModerate", "O365USGovGCC", "USGovGCC", "GovernmentCommunityCloud"], meant: "public", why: "GCC (the Government Community Cloud, moderate) runs on the worldwide Entra and Exchange endpoints, so it is public; GCC High is usgovernment and DoD is dod." },
    { typed: ["GCCHigh", "O365USGovGCCHigh", "USGovGCCHigh", "USGovernmentL4", "AzureUSGovernmentL4", "L4", "IL4"], meant: "usgovernment", why: "GCC High (US Government L4) is usgovernment: login.microsoftonline.us and outlook.office365.us." },
    { typed: ["O365USGovDoD", "USGovDoD", "DoD365", "USGovernmentL5", "AzureUSGovernmentL5", "L5", "IL5"], meant: "dod", why: "DoD (US Government L5) is dod: login.microsoftonline.us, and Exchange at outlook-dod.office365.us (webmail.apps.mil for Connect-ExchangeOnline)." },
    { typed: ["AzureUSGovernment", "AzureUSGovernmentCloud", "AzureGovernment", "USGov", "USGovt", "Gov", "Government", "USGovernmentCloud", "Fairfax"], why: 'That is Azure Government, which serves two Microsoft 365 clouds: GCC High ("usgovernment") and DoD ("dod"). environment is the tenant\'s Microsoft 365 cloud: use the one the tenant is in.' },
    { typed: ["AzureChinaCloud", "AzureChina", "ChinaCloud", "O365China", "21Vianet", "Mooncake", "Gallatin"], meant: "china", why: "Microsoft 365 operated by 21Vianet is china." },
    { typed: ["AzureGermanCloud", "Germany", "German", "BlackForest", "MicrosoftCloudDeutschland"], meant: "public", why: "Microsoft Cloud Deutschland closed in 2021 and its tenants moved to the worldwide cloud, which is public." },
  ],
  managedIdentityKind: [
    {
      typed: ["systemAssigned", "system", "systemAssignedIdentity", "vm", "virtualMachine", "vmss", "function", "functionApp", "functions", "appService", "webApp", "logicApp", "containerApp", "aks", "arc"],
      why: "A system-assigned identity belongs to its Azure resource and lives and dies with it, so the stack cannot make one on its own. For the identity of a VM, a Function app or another resource that exists, use kind: existing with its principalId (the resource → Identity → System assigned → Object (principal) ID). For an Automation account the stack makes (its identity is system-assigned), use kind: automationAccount.",
    },
    { typed: ["runbook", "azureAutomation"], meant: "automationAccount", why: "kind: automationAccount makes an Automation account whose system-assigned identity runs the runbooks." },
    { typed: ["uami", "userAssignedManagedIdentity", "userManaged"], meant: "userAssigned", why: "kind: userAssigned makes a user-assigned identity; for one that exists already, use kind: existing with its principalId and clientId." },
    { typed: ["msi", "managed", "managedIdentity", "identity"], why: "Choose what the stack does: userAssigned (it makes a user-assigned identity), automationAccount (it makes an Automation account with its own identity), or existing (an identity that exists, by its principalId)." },
    { typed: ["servicePrincipal", "sp", "spn", "app", "application", "appRegistration", "enterpriseApplication"], why: "A managed identity is not an app registration: to grant an app, remove managedIdentity (the stack then makes the app), or adopt one made by hand with adopt." },
    { typed: ["federated", "workloadIdentity", "oidc", "federatedCredential"], why: "A pipeline's or cluster's own token is a federated credential on the app: remove managedIdentity and list it under federatedCredentials." },
  ],
  consent: [
    {
      typed: ["admin", "adminConsent", "byAdmin", "customer", "customerAdmin", "external", "offline", "link", "url", "delegated", "pending", "later", "none", "skip", "no", "false", "off"],
      meant: "manual",
      why: "consent: manual leaves the tenant to its own admin: the stack creates nothing there and outputs the consent link and the role assignment to make.",
    },
    { typed: ["stack", "pulumi", "granted", "grant", "yes", "true", "on", "appRoleAssignment", "default"], meant: "automatic", why: "consent: automatic has the stack grant the consent and the role in that tenant, signed in as the deployer." },
  ],
  appMode: [
    { typed: ["single", "singleTenant", "singleTenantApp", "AzureADMyOrg", "separate", "perTenantApp", "appPerTenant", "each", "individual", "isolated", "dedicated"], meant: "perTenant", why: "perTenant makes a single-tenant app (AzureADMyOrg) in each tenant." },
    { typed: ["msp", "shared", "oneApp", "singleApp", "multiTenantApp", "AzureADMultipleOrgs", "multipleOrgs"], meant: "multiTenant", why: "multiTenant is one app in the home tenant (AzureADMultipleOrgs) with its service principal in every tenant." },
  ],
  certificate: [
    { typed: ["selfSigned", "auto", "automatic", "create", "new", "true", "yes", "on", "rsa", "default"], meant: "generate", why: "certificate: generate has the stack make a self-signed RSA certificate and hand out its key as a secret output." },
    { typed: ["false", "no", "off", "disabled", "disable", "null", "empty", "skip", "secret"], meant: "none", why: "certificate: none puts no certificate on the app (then it needs clientSecret: true or federatedCredentials)." },
    { typed: ["keyVault", "kv", "vault", "azureKeyVault"], meant: "generate", why: "The stack stores a generated certificate in the vault the keyVault key names: keep certificate: generate and set keyVault." },
    { typed: /^[0-9a-f]{40}$/i, why: "That is a thumbprint: certificate takes the public certificate itself, as PEM (pulumi config set certificate -- \"$(cat app.crt)\"); the stack outputs the thumbprint as certificateThumbprint." },
    {
      typed: /^(pfx|p12|pkcs12)$|\.(pfx|p12)$/i,
      why: 'That names a PFX, which holds the private key: the stack takes the public certificate only. Export it (openssl pkcs12 -in app.pfx -clcerts -nokeys -out app.crt), then pulumi config set certificate -- "$(cat app.crt)".',
    },
    {
      typed: /^(pem|cer|crt|der|x509)$|^(\.{0,2}\/|~\/|[A-Za-z]:[\\/])|\.(pem|crt|cer|der)$/i,
      why: 'That names a file or a format: certificate takes the certificate\'s text, as PEM: pulumi config set certificate -- "$(cat app.crt)" (a DER file first: openssl x509 -inform der -in app.cer -out app.crt).',
    },
  ],
  clientSecretRotation: rotation("clientSecretLifetimeDays", "Rotating the client secret"),
  certificateRotation: rotation("certificateValidityDays", "Rotating the certificate"),
  federatedKind: [
    { typed: ["githubActions", "gha", "actions", "githubAction"], meant: "github", why: "kind: github is GitHub Actions (token.actions.githubusercontent.com)." },
    { typed: ["ado", "azurePipelines", "pipelines", "devops", "vsts", "tfs", "serviceConnection"], meant: "azureDevOps", why: "kind: azureDevOps is an Azure Pipelines service connection." },
    { typed: ["gitlabCi", "glab"], meant: "gitlab", why: "kind: gitlab is a GitLab CI/CD job's id_token." },
    { typed: ["aks", "eks", "gke", "k8s", "kube", "serviceAccount", "workloadIdentity", "openshift", "aro"], meant: "kubernetes", why: "kind: kubernetes takes any cluster's service account issuer (AKS: az aks show --query oidcIssuerProfile.issuerUrl)." },
    { typed: ["terraformCloud", "hcp", "tfc", "circleci", "bitbucket", "jenkins", "spacelift", "oidc", "generic", "other"], meant: "custom", why: "kind: custom takes the issuer and the subject that platform's token carries." },
    { typed: ["managedIdentity", "msi", "uami"], why: "A managed identity is its own key, managedIdentity, not a federated credential of the app." },
  ],
  workload: [
    { typed: ["exo", "exchangeOnline", "exchangeOnlinePowerShell", "ConnectExchangeOnline", "mail", "mailbox", "eop"], meant: "exchange", why: "exchange is Exchange Online PowerShell (Connect-ExchangeOnline), Exchange Online Protection's cmdlets included." },
    { typed: ["scc", "ipps", "ippssession", "ConnectIPPSSession", "securityCompliance", "securityAndCompliance", "purview", "complianceCenter", "security", "protection"], meant: "compliance", why: "compliance is Security & Compliance PowerShell (Connect-IPPSSession)." },
    { typed: ["ediscovery", "contentSearch", "complianceSearch"], meant: "compliance", why: "compliance is Security & Compliance PowerShell (Connect-IPPSSession), but Microsoft says its Purview eDiscovery cmdlets do not run app-only at all." },
    { typed: ["graph", "microsoftGraph", "sharepoint", "teams", "onedrive", "intune", "entra", "azuread"], why: "workloads are the two PowerShell surfaces Exchange.ManageAsApp opens, exchange and compliance; Graph, SharePoint or Teams permissions are not granted by this stack." },
  ],
  readerType: [
    { typed: ["managedIdentity", "msi", "identity", "application", "app", "enterpriseApplication", "sp", "spn", "automationAccount", "pipeline", "servicePrincipal"], meant: "ServicePrincipal", why: "ARM calls a managed identity's and an app's principal a ServicePrincipal." },
    { typed: ["securityGroup", "m365Group", "microsoft365Group", "team", "entraGroup", "aadGroup"], meant: "Group", why: "a security group is a Group." },
    { typed: ["member", "person", "guest", "account", "upn"], meant: "User", why: "a person's account is a User." },
  ],
  scheduleFrequency: [
    { typed: ["hourly", "hours", "everyHour"], meant: "Hour", why: "frequency is the unit: Hour with interval 1 runs every hour." },
    { typed: ["daily", "days", "everyDay", "everyday"], meant: "Day", why: "frequency is the unit: Day with interval 1 runs every day." },
    { typed: ["weekly", "weeks", "everyWeek"], meant: "Week", why: "frequency is the unit: Week with interval 1 runs every week." },
    { typed: ["monthly", "months", "everyMonth"], meant: "Month", why: "frequency is the unit: Month with interval 1 runs every month." },
    { typed: ["minute", "minutes", "minutely", "everyMinute"], why: "Azure Automation schedules run at most once an hour: use Hour (interval 1)." },
    { typed: ["once", "oneTime", "none", "never", "manual"], why: "The stack makes recurring schedules only. To run the runbook once, start it (the runbook output's start command); for no schedule, leave schedule out." },
    { typed: /^\S+(\s+\S+){4,5}$/, why: "Automation schedules are not cron: give frequency (Hour, Day, Week, Month), interval and at." },
  ],
} satisfies Record<string, readonly WrongConcept[]>;

export type ConceptField = keyof typeof CONCEPTS;

function matches(concept: WrongConcept, value: string): boolean {
  if (concept.typed instanceof RegExp) return concept.typed.test(value.trim());
  const typed = normalizeName(value);
  return concept.typed.some((t) => normalizeName(t) === typed);
}

/** The known wrong concept `value` stands for, if any. */
export function wrongConcept(field: ConceptField, value: string): WrongConcept | undefined {
  return (CONCEPTS[field] as readonly WrongConcept[]).find((c) => matches(c, value));
}

/**
 * ` Did you mean "x"? <why>` for a known wrong concept, ` Did you mean "x"?` for a value that abbreviates or
 * misspells one of `candidates` word for word, or an empty string: never the nearest spelling of something else.
 */
export function adviceFor(field: ConceptField, value: string, candidates: readonly string[]): string {
  const concept = wrongConcept(field, value);
  if (concept) return concept.meant ? ` Did you mean "${concept.meant}"? ${concept.why}` : ` ${concept.why}`;
  const near = suggestSameConcept(value, candidates);
  return near ? ` Did you mean "${near}"?` : "";
}

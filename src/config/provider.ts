/**
 * How the stack's explicit `azuread` provider signs in. An explicit provider reads only its arguments and the
 * `ARM_*` variables, not the stack's `azuread:*` config, so the keys users set there (`azuread:useOidc`,
 * `azuread:clientId`, ...) are passed through here: validated like the project's own keys, secrets kept secret.
 * The tenant and the cloud come from the project's keys; `azuread:tenantId`/`environment` may only agree with them.
 */
import type { Cloud } from "../facts";
import { envVarNameProblem } from "../check/ids";
import { didYouMean } from "./suggest";
import type { IssueList } from "./values";

export const AZUREAD = "azuread";

/** The azuread provider's sign-in settings (its `Provider` arguments), by type. */
const BOOLEAN_KEYS = ["useCli", "useMsi", "useOidc", "useAksWorkloadIdentity", "disableTerraformPartnerId"] as const;
const STRING_KEYS = [
  "clientId",
  "clientIdFilePath",
  "clientSecretFilePath",
  "clientCertificatePath",
  "msiEndpoint",
  "oidcRequestUrl",
  "oidcTokenFilePath",
  "adoPipelineServiceConnectionId",
  "metadataHost",
  "partnerId",
] as const;
/** Held as Pulumi secrets whatever the stack file says: they sign in as the deploying identity. */
export const SECRET_KEYS = ["clientSecret", "clientCertificate", "clientCertificatePassword", "oidcToken", "oidcRequestToken"] as const;
/** Set by the project's own keys (`tenantId`, `environment`). */
const DERIVED_KEYS = ["tenantId", "environment"] as const;

/** Every `azuread:*` key the program takes (the README lists them; a test keeps it so). */
export const AZUREAD_SETTINGS = [...BOOLEAN_KEYS, ...STRING_KEYS, ...SECRET_KEYS, ...DERIVED_KEYS] as string[];

/** Sign-in settings for one tenant's provider; `secrets` holds the values to wrap with `pulumi.secret`. */
export interface ProviderSignIn {
  readonly settings: Readonly<Record<string, string | boolean>>;
  readonly secrets: Readonly<Record<string, string>>;
  /**
   * Settings read from environment variables when the program runs (`clientSecretEnv: CONTOSO_SECRET` → the
   * `clientSecret` setting from `$CONTOSO_SECRET`): setting → variable name. `resolveSignIn` reads them.
   */
  readonly fromEnv: Readonly<Record<string, string>>;
}

/**
 * Reads `azuread:*` values (short keys, engine strings) into provider settings, adding an issue for each bad one.
 * `name` renders a short key as the user wrote it (`azuread:useOidc`).
 */
export function readProviderSignIn(
  values: Readonly<Record<string, string>>,
  tenant: { tenantId?: string; cloud?: Cloud },
  issues: IssueList,
  name: (key: string) => string = (key) => `${AZUREAD}:${key}`,
): ProviderSignIn {
  const settings: Record<string, string | boolean> = {};
  const secrets: Record<string, string> = {};
  const fromEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const full = name(key);
    const base = key.endsWith("Env") ? key.slice(0, -3) : undefined;
    if (base !== undefined && [...STRING_KEYS, ...SECRET_KEYS].includes(base as never)) {
      const problem = envVarNameProblem(value);
      if (problem === undefined) fromEnv[base] = value;
      else issues.addAt(full, value, `${problem}: it must name an environment variable whose value is the ${base} setting`);
    } else if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (value === "true" || value === "false") settings[key] = value === "true";
      else issues.addAt(full, value, "must be true or false");
    } else if ((SECRET_KEYS as readonly string[]).includes(key)) {
      secrets[key] = value;
    } else if ((STRING_KEYS as readonly string[]).includes(key)) {
      settings[key] = value;
    } else if (key === "tenantId") {
      if (tenant.tenantId && value.trim().toLowerCase() !== tenant.tenantId) {
        issues.addAt(full, value, `signs in to another tenant than exchange-app-only:tenantId (${tenant.tenantId}): remove ${full}, the stack's tenant is used`);
      }
    } else if (key === "environment") {
      if (tenant.cloud && value.trim().toLowerCase() !== tenant.cloud.azureadEnvironment) {
        issues.addAt(full, value, `disagrees with the stack's cloud (exchange-app-only:environment = ${tenant.cloud.name}): remove ${full}, the cloud is set by exchange-app-only:environment`);
      }
    } else {
      issues.addAt(full, value, `is not a setting of the azuread provider.${didYouMean(key, AZUREAD_SETTINGS)} Settings: ${AZUREAD_SETTINGS.join(", ")}.`);
    }
  }
  return { settings, secrets, fromEnv };
}

/** A sign-in setting whose environment variable is not set when the program runs. */
export interface MissingSignIn {
  readonly setting: string;
  readonly variable: string;
}

/**
 * Reads the `…Env` settings from `env`: the settings to pass (secret ones among `secrets`) and the variables that
 * are missing. Offline runs (plan, tests) pass `offline`: no credentials exist there, and none are needed.
 */
export function resolveSignIn(signIn: ProviderSignIn, env: NodeJS.ProcessEnv, offline = false): { signIn: ProviderSignIn; missing: MissingSignIn[] } {
  const settings: Record<string, string | boolean> = { ...signIn.settings };
  const secrets: Record<string, string> = { ...signIn.secrets };
  const missing: MissingSignIn[] = [];
  for (const [setting, variable] of Object.entries(signIn.fromEnv)) {
    const value = offline ? `(from $${variable})` : env[variable];
    if (!value) missing.push({ setting, variable });
    else if ((SECRET_KEYS as readonly string[]).includes(setting)) secrets[setting] = value;
    else settings[setting] = value;
  }
  return { signIn: { settings, secrets, fromEnv: {} }, missing };
}

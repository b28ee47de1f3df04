/**
 * How the stack's explicit `azuread` provider signs in. An explicit provider reads only its arguments and the
 * `ARM_*` variables, not the stack's `azuread:*` config, so the keys users set there (`azuread:useOidc`,
 * `azuread:clientId`, ...) are passed through here: validated like the project's own keys, secrets kept secret.
 * The tenant and the cloud come from the project's keys; `azuread:tenantId`/`environment` may only agree with them.
 */
import type { Cloud } from "../facts";
import { envVarNameProblem } from "../check/ids";
import { looksLikeSecret } from "./secretValues";
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

/** Every `azuread:*` key the program takes (docs/installation-configuration.md, "Signing in to the tenant", lists them; a test keeps it so). */
export const AZUREAD_SETTINGS = [...BOOLEAN_KEYS, ...STRING_KEYS, ...SECRET_KEYS, ...DERIVED_KEYS] as string[];

/** Settings that may come from an environment variable instead (`clientSecretEnv: CONTOSO_SECRET`). */
const FROM_ENV_SETTINGS: readonly string[] = [...STRING_KEYS, ...SECRET_KEYS];
/** Their `…Env` forms, which hold a variable's name. */
export const AZUREAD_ENV_SETTINGS = FROM_ENV_SETTINGS.map((setting) => `${setting}Env`);

/**
 * The variable the provider itself reads for a setting when neither the stack nor the program sets it:
 * `ARM_` and the setting in upper snake case, but `ARM_METADATA_HOSTNAME` for metadataHost. Inferred from the
 * provider schemas' `EnvDefaultFunc`s (hashicorp/terraform-provider-azurerm internal/provider/provider.go; the
 * azuread provider shares the auth library) and the ARM_* table in docs/installation-configuration.md; no Microsoft page lists them.
 */
export function armVariableOf(setting: string): string {
  if (setting === "metadataHost") return "ARM_METADATA_HOSTNAME";
  return `ARM_${setting.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

/** `ARM_CLIENT_SECRET` (or `arm_client_secret`) → `clientSecret`, for a variable's name written as a setting. */
function settingOfArmVariable(name: string): string | undefined {
  return AZUREAD_SETTINGS.find((setting) => armVariableOf(setting) === name.toUpperCase());
}

/**
 * True when the program reads a setting's value to validate it (true/false, a variable's name, the tenant and
 * cloud). The other settings are passed on to the provider unread, so an offline plan can leave them encrypted.
 */
export function readsSettingValue(setting: string): boolean {
  return (BOOLEAN_KEYS as readonly string[]).includes(setting) || (DERIVED_KEYS as readonly string[]).includes(setting) || AZUREAD_ENV_SETTINGS.includes(setting);
}

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
 * What an unknown setting (`full`, as the user wrote it) may have meant, and every setting there is, the `…Env`
 * forms included. An `ARM_*` name is the variable the provider reads by itself: the setting it stands for is named.
 */
function unknownSetting(key: string, full: string): string {
  const at = full.slice(0, full.length - key.length);
  const setting = settingOfArmVariable(key);
  const known = [...AZUREAD_SETTINGS, ...AZUREAD_ENV_SETTINGS];
  // `clientsecret` is clientSecret in another case, not the start of clientSecretFilePath.
  const sameName = known.find((k) => k.toLowerCase() === key.toLowerCase());
  let meant = sameName ? ` Did you mean "${sameName}"?` : didYouMean(key, known);
  if (setting !== undefined) {
    const secret = (SECRET_KEYS as readonly string[]).includes(setting);
    const encrypted = !secret ? "" : at === `${AZUREAD}:` ? ` (pulumi config set --secret ${at}${setting} prompts for it)` : ` (encrypted: pulumi config set --secret --path 'tenants[<n>].azuread.${setting}' prompts for it)`;
    const fromEnv = FROM_ENV_SETTINGS.includes(setting) ? `, or ${at}${setting}Env: <the name of a variable that holds it>` : "";
    meant = ` ${key} is the name of the environment variable the provider reads by itself; the setting is ${at}${setting}${encrypted}${fromEnv}.`;
  }
  return `is not a setting of the azuread provider.${meant} Settings: ${AZUREAD_SETTINGS.join(", ")}; read from an environment variable instead: ${AZUREAD_ENV_SETTINGS.join(", ")}.`;
}

/** Why a `…Env` value is not a variable's name: its shape, never the value (it may be the secret itself). */
function notAVariableName(value: string, setting: string): string {
  const shape = looksLikeSecret(value) ? "this looks like the secret itself, not a variable's name" : "this is not a variable's name (letters, digits and _, not starting with a digit)";
  return `must hold the NAME of an environment variable whose value is the ${setting} setting: ${shape}. Put the value in that variable (in CI: a secret variable) and write its name here, for example ${setting}Env: ${armVariableOf(setting)}`;
}

/**
 * Reads `azuread:*` values (short keys, engine strings) into provider settings, adding an issue for each bad one.
 * `name` renders a short key as the user wrote it (`azuread:useOidc`). A value the engine delivered as a secret
 * stays one (`issues.deliveredSecret`), whatever setting it is.
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
    if (base !== undefined && FROM_ENV_SETTINGS.includes(base)) {
      if (envVarNameProblem(value) === undefined) fromEnv[base] = value;
      else issues.addAt(full, value, notAVariableName(value, base));
    } else if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (value === "true" || value === "false") settings[key] = value === "true";
      else issues.addAt(full, value, `must be true or false${looksLikeSecret(value) ? ": this looks like a secret value, not true or false" : ""}`);
    } else if ((SECRET_KEYS as readonly string[]).includes(key) || ((STRING_KEYS as readonly string[]).includes(key) && issues.deliveredSecret(full))) {
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
      issues.addAt(full, value, unknownSetting(key, full));
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

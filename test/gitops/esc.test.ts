/**
 * esc/exchange-app-only.yaml, the example Pulumi ESC environment: an OIDC azure-login exporting the ARM_* variables
 * the azuread provider reads, and pulumiConfig keys the program actually reads, with values it accepts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CONFIG_KEY_NAMES, PROJECT } from "../../src/config/keys";
import { AZUREAD, AZUREAD_SETTINGS } from "../../src/config/provider";
import { parseStackConfig } from "../../src/config/parseStack";
import { ROOT } from "./workflows";

interface EscEnvironment {
  values: {
    azure: { login: Record<string, Record<string, unknown>> };
    environmentVariables: Record<string, string>;
    pulumiConfig: Record<string, unknown>;
  };
}

const text = readFileSync(join(ROOT, "esc", "exchange-app-only.yaml"), "utf8");
const env = parse(text) as EscEnvironment;
const login = env.values.azure.login["fn::open::azure-login"]!;

/** Resolves `${azure.login.<output>}` the way ESC would for the outputs that repeat an input (clientId, tenantId, subscriptionId). */
function resolve(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value.replace(/\$\{azure\.login\.(\w+)\}/g, (whole, output: string) => (typeof login[output] === "string" ? (login[output] as string) : whole));
}

/** A config value as the engine hands it to the program: text, or JSON for lists and maps. */
const engineString = (value: unknown): string => (typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value));

describe("esc/exchange-app-only.yaml", () => {
  it("signs in with fn::open::azure-login over OIDC, no stored secret", () => {
    expect(Object.keys(env.values.azure.login)).toEqual(["fn::open::azure-login"]);
    expect(login).toMatchObject({ oidc: true, clientId: expect.stringMatching(/^[0-9a-f-]{36}$/), tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(login).not.toHaveProperty("clientSecret");
    expect(text).not.toMatch(/fn::secret|azuread:clientSecret|ARM_CLIENT_SECRET/);
  });

  it("exports the ARM_* variables the azuread provider reads, from the login's outputs", () => {
    expect(env.values.environmentVariables).toEqual({
      ARM_USE_OIDC: "true",
      ARM_CLIENT_ID: "${azure.login.clientId}",
      ARM_TENANT_ID: "${azure.login.tenantId}",
      ARM_OIDC_TOKEN: "${azure.login.oidc.token}",
    });
  });

  it("sets only keys the program reads: exchange-app-only:<CONFIG_KEY_NAMES> and azuread:<AZUREAD_SETTINGS>", () => {
    const keys = Object.keys(env.values.pulumiConfig);
    expect(keys.length).toBeGreaterThanOrEqual(5);
    const unknown = keys.filter((full) => {
      const [namespace, key, ...rest] = full.split(":");
      if (rest.length > 0 || key === undefined) return true;
      if (namespace === PROJECT) return !(CONFIG_KEY_NAMES as string[]).includes(key);
      if (namespace === AZUREAD) return !AZUREAD_SETTINGS.includes(key);
      return true;
    });
    expect(unknown).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining([`${PROJECT}:tenantId`, `${PROJECT}:organization`, `${PROJECT}:role`]));
  });

  it("holds values the program's own validation accepts", () => {
    const config = Object.fromEntries(Object.entries(env.values.pulumiConfig).map(([key, value]) => [key, engineString(resolve(value))]));
    expect(config[`${PROJECT}:tenantId`]).toBe(login.tenantId);
    expect(() => parseStackConfig(config, new Date("2026-01-01T00:00:00Z"))).not.toThrow();
  });

  it("would catch a key the program does not read", () => {
    expect(() => parseStackConfig({ [`${PROJECT}:tenantId`]: String(login.tenantId), [`${PROJECT}:organization`]: "contoso.onmicrosoft.com", [`${PROJECT}:rol`]: "Global Reader" })).toThrow(/rol/);
  });
});

/** Tenant and client ids as people type them: what can name a tenant or an app, and the usage error otherwise. */
import { CheckSetupError } from "../../src/errors";
import { clientIdProblem, envVarNameProblem, guidProblem, requireClientId, requireEnvVarName, requireTenant, secretShape, shownValue, tenantGuidProblem, tenantProblem } from "../../src/check/ids";

describe("a tenant is a GUID (not the nil GUID) or a domain name with a dot", () => {
  test.each([
    "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
    "6F1C2A3B-4D5E-4F60-8A7B-9C0D1E2F3A4B",
    "contoso.onmicrosoft.com",
    "contoso.com",
    "Contoso.OnMicrosoft.com",
    "mail.contoso-ltd.co.uk",
    "xn--bcher-kva.example",
    "contoso.onmicrosoft.us",
  ])("%s is a tenant", (value) => expect(tenantProblem(value)).toBeUndefined());

  test.each([
    ["contoso", /neither a GUID nor a domain name/],
    ["my_tenant", /neither a GUID nor a domain name/],
    ["localhost", /neither a GUID nor a domain name/],
    ["tenant-1", /neither a GUID nor a domain name/],
    ["", /is empty/],
    ["   ", /is empty/],
    ["00000000-0000-0000-0000-000000000000", /nil GUID/],
    ["common", /multi-tenant alias/],
    ["Organizations", /multi-tenant alias/],
    ["consumers", /multi-tenant alias/],
    ["https://login.microsoftonline.com/contoso.onmicrosoft.com", /is a URL/],
    ["{6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b}", /not a GUID in its plain 8-4-4-4-12 form/],
    ["6f1c2a3b4d5e4f608a7b9c0d1e2f3a4b", /not a GUID in its plain 8-4-4-4-12 form/],
    ["contoso.onmicrosoft.com.", /is not a domain name/],
    ["contoso..com", /is not a domain name/],
    ["-contoso.com", /is not a domain name/],
    ["contoso-.com", /is not a domain name/],
    ["my_tenant.com", /is not a domain name/],
    ["contoso .com", /is not a domain name/],
    ["contoso.onmicrosoft.com/extra", /is not a domain name/],
    [`${"a".repeat(64)}.com`, /is not a domain name/],
    ["10.0.0.1", /IP address/],
  ])("%j is refused: %s", (value, problem) => expect(tenantProblem(value)).toMatch(problem));

  test("requireTenant: ERR_USAGE naming the flag and the value, with the fix", () => {
    let caught: unknown;
    try {
      requireTenant("contoso", "--tenant-id");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CheckSetupError);
    expect((caught as CheckSetupError).code).toBe("ERR_USAGE");
    expect((caught as Error).message).toBe('--tenant-id "contoso" is neither a GUID nor a domain name (a domain has a dot, like contoso.onmicrosoft.com)');
    expect((caught as CheckSetupError).remedy).toMatch(/tenant's GUID .* or one of its domains, such as contoso\.onmicrosoft\.com/);
  });
});

describe("a client id is a GUID, not the nil GUID", () => {
  test.each([
    ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", undefined],
    ["00000000-0000-0000-0000-000000000000", "is the nil GUID, which names no application"],
    ["my-app", "is not a GUID"],
    ["", "is empty"],
    ["{0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}", "is not a GUID in its plain 8-4-4-4-12 form (write it without braces, urn:uuid: or missing hyphens)"],
    ["urn:uuid:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "is not a GUID in its plain 8-4-4-4-12 form (write it without braces, urn:uuid: or missing hyphens)"],
  ])("%j", (value, problem) => expect(clientIdProblem(value)).toBe(problem));

  test("a value that may be a secret pasted in the wrong place is not echoed: its shape is named instead", () => {
    const secret = "Abc8Q~averylongclientsecretvalue_0123456789";
    expect(() => requireClientId(secret, "--client-id")).toThrow(/^--client-id what looks like a client secret \(43 characters, not shown\) is not a GUID$/);
  });
});

describe("one GUID rule for the CLI's flags and the stack's keys", () => {
  test.each([
    ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", undefined],
    ["00000000-0000-0000-0000-000000000000", "is the nil GUID, which names nothing"],
    ["(0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d)", /plain 8-4-4-4-12 form/],
    ["0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d", /plain 8-4-4-4-12 form/],
    ["Pay-As-You-Go", "is not a GUID"],
  ])("guidProblem(%j)", (value, problem) => {
    if (problem instanceof RegExp) expect(guidProblem(value)).toMatch(problem);
    else expect(guidProblem(value)).toBe(problem);
  });

  test.each([
    ["6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", undefined],
    ["contoso.onmicrosoft.com", "is a domain name, and this takes the tenant's id, a GUID"],
    ["00000000-0000-0000-0000-000000000000", "is the nil GUID, which names no tenant"],
    ["contoso", /neither a GUID nor a domain name/],
  ])("where only a tenant GUID will do (the stack's tenantId): %j", (value, problem) => {
    if (problem instanceof RegExp) expect(tenantGuidProblem(value)).toMatch(problem);
    else expect(tenantGuidProblem(value)).toBe(problem);
  });
});

describe("a value that may be a secret is named by its shape, never shown", () => {
  const jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJl";
  test.each([
    [jwt, "a JWT, such as an access token"],
    ["eyJhbGciOiJSUzI1NiIsInR5cCI6", "the start of what looks like a JWT"],
    ["Abc8Q~averylongclientsecretvalue_0123456789", "what looks like a client secret"],
    ["q0Zk8J3pXb5mR7tV2wY9aC4eG6iK1nP3sU5xZ7bD9fH=", "what looks like a client secret"],
    ["-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----", "a PEM private key"],
    ["-----BEGIN CERTIFICATE-----\nMIIE", "PEM text"],
    ["x".repeat(65), "a long value"],
  ])("%#: %s", (value, shape) => {
    expect(secretShape(value)).toBe(shape);
    expect(shownValue(value)).toBe(`${shape} (${value.length} characters, not shown)`);
  });

  test.each(["dev", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "contoso.onmicrosoft.com", "Contoso-Production-Tenant-2024-east", "~/certs/exo-app.pem"])("%j is shown as typed", (value) => {
    expect(secretShape(value)).toBeUndefined();
    expect(shownValue(value)).toBe(JSON.stringify(value));
  });
});

describe("an environment variable's name: one rule for --client-secret-env, --token-env and azuread's …Env settings", () => {
  test.each(["EXO_CLIENT_SECRET", "_x", "token"])("%j is a name", (value) => expect(envVarNameProblem(value)).toBeUndefined());

  test.each([
    ["EXO-SECRET", '--client-secret-env "EXO-SECRET" is not a variable\'s name (letters, digits and _, not starting with a digit)'],
    ["1PASSWORD", '--client-secret-env "1PASSWORD" is not a variable\'s name (letters, digits and _, not starting with a digit)'],
    ["abc~def.ghi", "--client-secret-env (11 characters, not shown) is not a variable's name: it looks like a value, perhaps the secret itself"],
    ["Abc8Q~averylongclientsecretvalue_0123456789", "--client-secret-env (43 characters, not shown) is not a variable's name: it looks like a value, perhaps the secret itself"],
  ])("%j: a usage error that never echoes a secret", (value, message) => {
    expect(() => requireEnvVarName(value, "--client-secret-env", "the client secret")).toThrow(message);
  });
});

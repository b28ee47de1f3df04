/** Tenant and client ids as people type them: what can name a tenant or an app, and the usage error otherwise. */
import { CheckSetupError } from "../../src/check/errors";
import { clientIdProblem, requireClientId, requireTenant, tenantProblem } from "../../src/check/ids";

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
    ["", "is not a GUID"],
    ["{0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}", "is not a GUID"],
  ])("%j", (value, problem) => expect(clientIdProblem(value)).toBe(problem));

  test("a value that may be a secret pasted in the wrong place is not echoed", () => {
    const secret = "Abc8Q~averylongclientsecretvalue_0123456789";
    expect(() => requireClientId(secret, "--client-id")).toThrow(/^--client-id "Abc…" \(43 characters, not shown in full\) is not a GUID$/);
  });
});

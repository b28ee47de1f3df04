/** The advisory secret policies: lifetime over 180 days, and a secret in a stack named like production. */
import { clientSecretLifetime } from "../../policy/clientSecretLifetime";
import { durationHours } from "../../policy/lifetime";
import { noClientSecretInProduction, productionWord } from "../../policy/productionSecret";
import { check, resource, TYPES, UNKNOWN_STRING } from "./harness";

const NOW = new Date("2026-11-26T12:00:00Z");
const context = (stack = "dev") => ({ stack: () => stack, now: () => NOW });
const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
const password = (inputs: Record<string, unknown>, extra = {}) =>
  resource(TYPES.password, "exo-secret-a", { applicationId: "/applications/b86102ae-e215-4e00-8df0-767187b75060", displayName: "secret a", ...inputs }, extra);

describe("client-secret-lifetime (advisory)", () => {
  const policy = clientSecretLifetime(context());

  it.each([1, 90, 180])("passes a secret that ends in %i days", async (days) => {
    expect(await check(policy, [password({ endDate: inDays(days) })])).toEqual([]);
  });

  it("fails a secret that ends in 365 days: names it, the end date, the lifetime and the fix", async () => {
    const violations = await check(policy, [password({ endDate: inDays(365) })]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ policy: "client-secret-lifetime", enforcement: "advisory", resource: { name: "exo-secret-a", type: TYPES.password } });
    expect(violations[0]!.message).toBe(
      `ApplicationPassword "exo-secret-a": endDate ${inDays(365)} makes the secret live 365 days, more than 180. ` +
        "Set exchange-app-only:clientSecretLifetimeDays to 180 or less and add 1 to clientSecretRotation to re-issue it, " +
        "or use the certificate (the default) or a federated credential instead.",
    );
  });

  it("181 days is more than 180", async () => {
    expect(await check(policy, [password({ endDate: inDays(181) })])).toHaveLength(1);
  });

  it("reads endDateRelative (a Go duration)", async () => {
    const [violation] = await check(policy, [password({ endDateRelative: "8760h" })]);
    expect(violation!.message).toContain("endDateRelative 8760h makes the secret live 365 days");
    expect(await check(policy, [password({ endDateRelative: "4320h" })])).toEqual([]);
  });

  it("during preview, when the end date is unknown, reads the time.Rotating it comes from", async () => {
    const rotating = resource(TYPES.rotating, "exo-secret-a-g0", { rotationDays: 365 });
    const pending = password({ endDate: UNKNOWN_STRING }, { propertyDependencies: { endDate: [rotating.urn] } });
    const [violation] = await check(policy, [rotating, pending]);
    expect(violation!.message).toContain('the rotation of time.Rotating "exo-secret-a-g0" makes the secret live 365 days');

    const sixMonths = resource(TYPES.rotating, "exo-secret-a-g0", { rotationMonths: 6 });
    expect(await check(policy, [sixMonths, pending])).toHaveLength(1); // six months are ~183 days
    const short = resource(TYPES.rotating, "exo-secret-a-g0", { rotationDays: 90 });
    expect(await check(policy, [short, pending])).toEqual([]);
  });

  it("stays silent when the lifetime cannot be told", async () => {
    expect(await check(policy, [password({ endDate: UNKNOWN_STRING })])).toEqual([]);
    expect(await check(policy, [password({})])).toEqual([]);
  });

  it("takes the limit from the policy config", async () => {
    const violations = await check(policy, [password({ endDate: inDays(180) })], { "client-secret-lifetime": { maxDays: 90 } });
    expect(violations[0]!.message).toContain("more than 90");
  });

  it.each([
    ["4320h", 4320],
    ["4320h0m0s", 4320],
    ["90m", 1.5],
    ["1h30m", 1.5],
    ["180d", undefined],
    ["", undefined],
  ])("durationHours(%j) = %p", (text, hours) => {
    expect(durationHours(text)).toBe(hours);
  });
});

describe("no-client-secret-in-production (advisory)", () => {
  it.each([
    ["prod", "prod"],
    ["production", "production"],
    ["contoso-prod", "prod"],
    ["prd-eu", "prd"],
    ["live_eu", "live"],
    ["contosoProd", "prod"],
    ["prod2", "prod"],
    ["acme/exchange-app-only/fabrikam.live", "live"],
  ])("%s looks like production (%s)", (stack, word) => {
    expect(productionWord(stack)).toBe(word);
  });

  it.each(["dev", "staging", "product", "delivery", "prodigy", "livestock", "acme/prod/dev", ""])("%j does not", (stack) => {
    expect(productionWord(stack)).toBeUndefined();
  });

  it("fails a client secret in a production stack: names the secret, the stack and the fix", async () => {
    const violations = await check(noClientSecretInProduction(context("contoso-prod")), [password({ endDate: inDays(30) })]);
    expect(violations).toEqual([
      {
        policy: "no-client-secret-in-production",
        enforcement: "advisory",
        resource: expect.objectContaining({ name: "exo-secret-a" }),
        message: expect.stringContaining('ApplicationPassword "exo-secret-a" is a client secret in stack "contoso-prod", which looks like production ("prod")'),
      },
    ]);
    expect(violations[0]!.message).toContain("Set exchange-app-only:clientSecret to false");
  });

  it("passes a secret in another stack, and a production stack without a secret", async () => {
    expect(await check(noClientSecretInProduction(context("dev")), [password({})])).toEqual([]);
    expect(await check(noClientSecretInProduction(context("prod")), [resource(TYPES.certificate, "exo-certificate-credential", {})])).toEqual([]);
  });
});

/** verify-on-up (advisory): a credential the check could use, and no check resource. */
import { verifyOnUp } from "../../policy/verifyOnUp";
import { check, exchangeApp, resource, TYPES } from "./harness";

const app = exchangeApp("exo-registration-app");
const secret = resource(TYPES.password, "exo-secret-a", {});
const certificate = resource(TYPES.certificate, "exo-certificate-credential", {});
const generated = resource(TYPES.selfSignedCert, "exo-certificate-cert", {});
const checkResource = resource(TYPES.check, "exo-verify", {});

describe("verify-on-up (advisory)", () => {
  it("fails a secret without the check: names the credential, what is missing and the fix", async () => {
    const violations = await check(verifyOnUp, [app, secret]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ policy: "verify-on-up", enforcement: "advisory", resource: { name: "exo-registration-app" } });
    expect(violations[0]!.message).toContain('credentials the post-deploy check could use ("exo-secret-a")');
    expect(violations[0]!.message).toContain("Set exchange-app-only:verifyOnUp to true");
  });

  it("fails a generated certificate without the check", async () => {
    const [violation] = await check(verifyOnUp, [app, generated, certificate]);
    expect(violation!.message).toContain('("exo-certificate-credential")');
  });

  it("passes with the check, and when nothing could be checked (a certificate given as PEM, federated only, no app)", async () => {
    expect(await check(verifyOnUp, [app, secret, generated, certificate, checkResource])).toEqual([]);
    expect(await check(verifyOnUp, [app, certificate])).toEqual([]);
    expect(await check(verifyOnUp, [app, resource(TYPES.application, "federated-only", {})])).toEqual([]);
    expect(await check(verifyOnUp, [secret])).toEqual([]);
  });
});

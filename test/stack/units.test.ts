import { federatedCredential } from "../../src/credentials/federation";
import { secretSlots } from "../../src/credentials/secretSlots";
import { suggest } from "../../src/config/suggest";
import { connectWithThumbprint } from "../../src/outputs/connectCommands";
import { CLOUDS } from "../../src/facts";
import { X509Certificate } from "node:crypto";
import { certificateThumbprint, inspectCertificate } from "../../src/credentials/certificates";
import { makeCertificate } from "../support/stackConfig";

describe("federatedCredential: what each platform presents", () => {
  it.each([
    [{ kind: "github", repository: "contoso/ops", branch: "main" }, "https://token.actions.githubusercontent.com", "repo:contoso/ops:ref:refs/heads/main", "api://AzureADTokenExchange"],
    [{ kind: "github", repository: "contoso/ops", tag: "v1.2.0" }, "https://token.actions.githubusercontent.com", "repo:contoso/ops:ref:refs/tags/v1.2.0", "api://AzureADTokenExchange"],
    [{ kind: "github", repository: "contoso/ops", environment: "prod" }, "https://token.actions.githubusercontent.com", "repo:contoso/ops:environment:prod", "api://AzureADTokenExchange"],
    [{ kind: "github", repository: "contoso/ops", pullRequest: true }, "https://token.actions.githubusercontent.com", "repo:contoso/ops:pull_request", "api://AzureADTokenExchange"],
    [
      { kind: "azureDevOps", organization: "contoso", organizationId: "0b5c3f4e-1a2b-4c3d-8e9f-001122334455", project: "Ops", serviceConnection: "exo-prod" },
      "https://vstoken.dev.azure.com/0b5c3f4e-1a2b-4c3d-8e9f-001122334455",
      "sc://contoso/Ops/exo-prod",
      "api://AzureADTokenExchange",
    ],
    [{ kind: "gitlab", project: "ops/exo", refType: "branch", ref: "main" }, "https://gitlab.com", "project_path:ops/exo:ref_type:branch:ref:main", "https://gitlab.com"],
    [{ kind: "gitlab", project: "ops/exo", refType: "tag", ref: "v1", url: "https://git.contoso.com/" }, "https://git.contoso.com", "project_path:ops/exo:ref_type:tag:ref:v1", "https://git.contoso.com"],
    [{ kind: "kubernetes", issuer: "https://oidc.aks.example/abc/", namespace: "ops", serviceAccount: "exo" }, "https://oidc.aks.example/abc/", "system:serviceaccount:ops:exo", "api://AzureADTokenExchange"],
  ] as const)("%j", (source, issuer, subject, audience) => {
    expect(federatedCredential(source)).toMatchObject({ issuer, subject, audience });
    expect(federatedCredential(source).name).toMatch(/^[A-Za-z0-9_-]{1,120}$/);
  });

  it("lets config override the name and the audience", () => {
    expect(federatedCredential({ kind: "github", repository: "a/b", branch: "main", name: "deploy", audience: "api://custom" })).toMatchObject({
      name: "deploy",
      audience: "api://custom",
    });
  });
});

describe("secretSlots: overlapping rotation", () => {
  it("starts with one secret in slot a", () => {
    expect(secretSlots(0)).toEqual([{ slot: "a", generation: 0, current: true }]);
  });

  it("never replaces the secret that is current before the rotation", () => {
    for (let n = 0; n < 6; n++) {
      const before = secretSlots(n).find((s) => s.current)!;
      const after = secretSlots(n + 1);
      expect(after).toContainEqual({ ...before, current: false });
      expect(after.filter((s) => s.current)).toEqual([{ slot: before.slot === "a" ? "b" : "a", generation: n + 1, current: true }]);
    }
  });

  it("refuses a negative or fractional generation", () => {
    expect(() => secretSlots(-1)).toThrow(RangeError);
    expect(() => secretSlots(1.5)).toThrow(RangeError);
  });
});

describe("suggest", () => {
  it("finds near misses and abbreviations, and nothing for unrelated words", () => {
    expect(suggest("Exchange Admin", ["Exchange Administrator", "Global Reader"])).toBe("Exchange Administrator");
    expect(suggest("gov", ["public", "usgovernment"])).toBeUndefined();
    expect(suggest("pubic", ["public", "usgovernment"])).toBe("public");
    expect(suggest("banana", ["public", "usgovernment", "dod", "china"])).toBeUndefined();
  });
});

describe("connect lines", () => {
  it("name the sovereign cloud's environment", () => {
    expect(connectWithThumbprint({ clientId: "c", organization: "contoso.onmicrosoft.us", cloud: CLOUDS.usgovernment }, "AB")).toBe(
      "Connect-ExchangeOnline -AppId c -CertificateThumbprint AB -Organization contoso.onmicrosoft.us -ExchangeEnvironmentName O365USGovGCCHigh",
    );
  });
});

describe("certificateThumbprint", () => {
  it("is the SHA-1 fingerprint X.509 tools show, as 40 upper-case hex digits", () => {
    const pem = makeCertificate();
    const fingerprint = new X509Certificate(pem).fingerprint.replace(/:/g, "");
    expect(certificateThumbprint(pem)).toBe(fingerprint);
    expect(certificateThumbprint(pem.replace(/\n/g, "\r\n"))).toBe(fingerprint);
    expect(inspectCertificate(pem).thumbprint).toBe(fingerprint);
  });

  it("refuses text that holds no certificate", () => {
    expect(() => certificateThumbprint("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")).toThrow(/not a PEM certificate/);
  });
});

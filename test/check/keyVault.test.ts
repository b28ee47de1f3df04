/** `--key-vault-secret` pieces without the network: the reference, the vault URL per cloud, the PKCS#12 conversion. */
import { CheckSetupError } from "../../src/errors";
import { keyVaultUrl, parseKeyVaultSecretRef, pkcs12ToPem, requireKeyVaultUrl } from "../../src/check/keyVault";
import { parseCertificatePem } from "../../src/check/credentials";
import { toPfxBase64 } from "../../src/credentials/certificates";
import { makeCertificate } from "./certs";

test("a vault/name reference: parts, and Azure's naming rules", () => {
  expect(parseKeyVaultSecretRef("contoso-exo-kv/exo-app-certificate")).toEqual({ vault: "contoso-exo-kv", name: "exo-app-certificate" });
  expect(parseKeyVaultSecretRef(`a${"b".repeat(23)}/s`).vault).toHaveLength(24);
  for (const bad of ["", "kv", "/s", "kv/", "a/b/c", "ab/s", `a${"b".repeat(24)}/s`, "1kv/s", "-kv/s", "k_v/s", "kv x/s", "contoso/a_b"]) {
    expect(() => parseKeyVaultSecretRef(bad)).toThrow(CheckSetupError);
  }
});

test("the vault URL in each cloud; an override must be https", () => {
  expect(keyVaultUrl("Contoso-KV", "public")).toBe("https://contoso-kv.vault.azure.net");
  expect(keyVaultUrl("contoso-kv", "usgovernment")).toBe("https://contoso-kv.vault.usgovcloudapi.net");
  expect(keyVaultUrl("contoso-kv", "dod")).toBe("https://contoso-kv.vault.usgovcloudapi.net");
  expect(keyVaultUrl("contoso-kv", "china")).toBe("https://contoso-kv.vault.azure.cn");
  expect(requireKeyVaultUrl("https://127.0.0.1:8443/keyvault/kv/")).toBe("https://127.0.0.1:8443/keyvault/kv");
  expect(() => requireKeyVaultUrl("http://contoso-kv.vault.azure.net")).toThrow(/is not https/);
  expect(() => requireKeyVaultUrl("contoso-kv")).toThrow(/is not a URL/);
});

test("the stack's PFX (base64, empty password) becomes the key and its certificate, in the order the check reads", () => {
  const c = makeCertificate({ commonName: "exo-kv-test" });
  const pem = pkcs12ToPem(toPfxBase64(c.keyPem, c.certPem), "kv/cert");
  const parsed = parseCertificatePem(pem, "test");
  expect(parsed.subject).toContain("exo-kv-test");
  expect(() => pkcs12ToPem("bm90IGEgcGZ4", "kv/cert")).toThrow(/kv\/cert .* is not base64 PKCS#12|cannot be opened/);
});

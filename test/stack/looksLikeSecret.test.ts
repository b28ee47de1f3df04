/**
 * One rule says what text is shaped like a credential, for config errors and command lines alike: what it flags is
 * never quoted in a message. Names of things (domains, URLs, paths, hyphenated names) are not flagged, so messages
 * still quote them.
 */
import { secretShape } from "../../src/check/ids";
import { looksLikeSecret } from "../../src/config/secretValues";

describe("looksLikeSecret", () => {
  it.each([
    "Zq8Q~leakCanary.4f2b9c7e1d0a3b5c6d8e9fAB", // Entra's client secret shape
    "dGhpcyBpcyBhIHRlc3Qgb2YgYmFzZTY0IGVuY29kaW5nMTIz", // base64
    "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln", // a JWT
    "https://vault.blob.core.windows.net/c?sv=2024&sig=AbC123xyzQ", // a URL carrying a SAS signature
    "P4ssw0rd!Sixteen+",
  ])("flags %s, and the command line's secretShape names it", (text) => {
    expect(looksLikeSecret(text)).toBe(true);
    expect(secretShape(text)).toBeDefined();
  });

  it.each([
    "contoso1.onmicrosoft.com",
    "https://login.microsoftonline.us/contoso2",
    "./certs/app1.crt",
    "C:\\certs\\App1.cer",
    "Contoso-Production-Tenant-2024-east",
    "Exchange_Runner_2",
    "9b2c7c3e-6f0a-4a57-9f6e-0d1b2c3d4e5f",
    "short1A!",
  ])("does not flag %s", (text) => {
    expect(looksLikeSecret(text)).toBe(false);
  });
});

/** credential.validity: a credential's dates judged before signing in; the warning and the --fail-on-expiry threshold. */
import { CheckSetupError } from "../../src/errors";
import { credentialUsable, credentialValidityCheck, parseExpiryDays, type CredentialLifetime } from "../../src/check/expiry";
import { checkLevel } from "../../src/check/types";

const NOW = Date.UTC(2026, 10, 26, 7, 0, 0);
const DAY = 86_400_000;
const cert = (notBeforeDays: number, notAfterDays: number): CredentialLifetime => ({
  kind: "certificate",
  what: "certificate CN=app, thumbprint AB12",
  notBefore: new Date(NOW + notBeforeDays * DAY),
  notAfter: new Date(NOW + notAfterDays * DAY),
});

describe("credentialValidityCheck", () => {
  test("valid for a long time: ok, says until when", () => {
    const check = credentialValidityCheck(cert(-10, 200), NOW);
    expect(check).toMatchObject({ id: "credential.validity", ok: true, remedy: null });
    expect(checkLevel(check)).toBe("ok");
    expect(check.detail).toBe("the certificate CN=app, thumbprint AB12 is valid until 2027-06-14T07:00:00Z (200 days left)");
  });

  test("expired: a failure that waiting cannot fix, with the renewal", () => {
    const check = credentialValidityCheck(cert(-400, -3), NOW);
    expect(checkLevel(check)).toBe("fail");
    expect(check).toMatchObject({ ok: false, healable: false });
    expect(check.detail).toBe("the certificate CN=app, thumbprint AB12 expired on 2026-11-23T07:00:00Z (3 days ago): Entra ID refuses it");
    expect(check.remedy).toMatch(/register a new certificate on the app .* certificateRotation/);
    expect(credentialUsable(cert(-400, -3), NOW)).toBe(false);
  });

  test("not yet valid (beyond the clock skew): a failure", () => {
    const check = credentialValidityCheck(cert(2, 300), NOW);
    expect(checkLevel(check)).toBe("fail");
    expect(check.detail).toMatch(/is not valid until 2026-11-28T07:00:00Z \(in 2 days\)/);
    expect(credentialUsable(cert(2, 300), NOW)).toBe(false);
    // Within the 5 min skew it is usable.
    const soon: CredentialLifetime = { ...cert(0, 300), notBefore: new Date(NOW + 60_000) };
    expect(credentialUsable(soon, NOW)).toBe(true);
    expect(checkLevel(credentialValidityCheck(soon, NOW))).toBe("ok");
  });

  test("ends within 30 days: a warning, still ok", () => {
    const check = credentialValidityCheck(cert(-300, 12), NOW);
    expect(check).toMatchObject({ ok: true, warning: true });
    expect(checkLevel(check)).toBe("warning");
    expect(check.detail).toBe("the certificate CN=app, thumbprint AB12 expires on 2026-12-08T07:00:00Z, in 12 days (within 30 days)");
    expect(check.remedy).toMatch(/Renew it/);
    expect(checkLevel(credentialValidityCheck(cert(-300, 0.5), NOW))).toBe("warning");
    expect(credentialValidityCheck(cert(-300, 0.5), NOW).detail).toMatch(/in 12 h/);
  });

  test("a secret's end date: the same judgement, a secret's remedy", () => {
    const secret: CredentialLifetime = { kind: "secret", what: "client secret", notAfter: new Date(NOW + 5 * DAY) };
    const check = credentialValidityCheck(secret, NOW);
    expect(checkLevel(check)).toBe("warning");
    expect(check.detail).toMatch(/^the client secret expires on .*, in 5 days/);
    expect(check.remedy).toMatch(/clientSecretRotation/);
  });

  test.each([
    [12, 14, "fail"],
    [13.9, 14, "fail"],
    [14.1, 14, "warning"],
    [45, 60, "fail"],
    [61, 60, "ok"],
    [12, 0, "warning"],
    [40, 0, "ok"],
  ])("ends in %d days, --fail-on-expiry %d → %s", (left, failDays, level) => {
    const check = credentialValidityCheck(cert(-100, left), NOW, { failDays });
    expect(checkLevel(check)).toBe(level);
    if (level === "fail") {
      expect(check.detail).toMatch(new RegExp(`within the ${failDays} days --fail-on-expiry allows$`));
      expect(check.healable).toBe(false);
    }
  });
});

describe("parseExpiryDays (--fail-on-expiry)", () => {
  test.each([
    ["0", 0],
    ["14", 14],
    [" 30 ", 30],
    ["3650", 3650],
  ])("%j → %d", (text, days) => expect(parseExpiryDays(text)).toBe(days));

  test.each(["", "-1", "3651", "1.5", "14d", "abc", "1e3", "99999", "0x10", " "])("%j is a usage error naming the flag and the value", (text) => {
    let caught: unknown;
    try {
      parseExpiryDays(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CheckSetupError);
    expect((caught as CheckSetupError).code).toBe("ERR_USAGE");
    expect((caught as Error).message).toBe(`--fail-on-expiry ${JSON.stringify(text)} is not a number of days from 0 to 3650`);
    expect((caught as CheckSetupError).remedy).toMatch(/--fail-on-expiry 14/);
  });
});

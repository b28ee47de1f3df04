/** Builds JWT-shaped strings for pure tests (the signature is not checked by anything under test). */
export function jwt(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "RS256", typ: "JWT" }): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part(header)}.${part(claims)}.c2lnbmF0dXJl`;
}

export const TENANT = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
export const CLIENT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
export const NOW = Date.UTC(2026, 10, 26, 7, 0, 0);
export const NOW_S = NOW / 1000;

/** The claims of a token that works, per FACTS.md. */
export function goodClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    aud: "https://outlook.office365.com",
    iss: `https://sts.windows.net/${TENANT}/`,
    tid: TENANT,
    appid: CLIENT,
    appidacr: "1",
    oid: "11111111-2222-4333-8444-555555555555",
    idtyp: "app",
    roles: ["Exchange.ManageAsApp"],
    ver: "1.0",
    iat: NOW_S - 60,
    nbf: NOW_S - 60,
    exp: NOW_S + 3539,
    ...overrides,
  };
}

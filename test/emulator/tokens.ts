/**
 * The emulator's signing keys: one for Entra's access tokens (served as JWKS), one playing an external OIDC issuer
 * (GitHub Actions, a Kubernetes cluster) for federated credentials. Real RS256 JWTs, signed with jose.
 */
import { generateKeyPairSync, KeyObject, randomBytes } from "node:crypto";
import { exportJWK, SignJWT, jwtVerify, createLocalJWKSet, type JWK, type JWTPayload, type JSONWebKeySet } from "jose";

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(20).toString("base64url");
  const jwk = { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256", kty: "RSA" } as JWK;
  return { kid, privateKey, publicKey, jwk };
}

export function jwks(...keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((k) => ({ ...k.jwk })) };
}

/** Signs `claims` as an RS256 JWT with `typ: JWT` and the key's `kid` (and `x5t` = kid, as Entra does). */
export async function signJwt(key: SigningKey, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid, x5t: key.kid } as never).sign(key.privateKey);
}

/** Verifies a JWT against the given keys; `nowSeconds` is the verifier's clock. Throws jose errors. */
export async function verifyJwt(token: string, keys: SigningKey[], nowSeconds: number, clockToleranceSeconds = 0): Promise<JWTPayload> {
  const set = createLocalJWKSet(jwks(...keys));
  const { payload } = await jwtVerify(token, set, { algorithms: ["RS256"], currentDate: new Date(nowSeconds * 1000), clockTolerance: clockToleranceSeconds });
  return payload;
}

/** Limits and defaults shared by the program, the check and the policy pack. */

/** Client secret lifetime: default and the most Entra's recommended policy (and this project) allows. */
export const SECRET_LIFETIME_DAYS = { default: 180, max: 730 } as const;

/** Generated certificate lifetime. */
export const CERTIFICATE_VALIDITY_DAYS = { default: 365, max: 1095 } as const;

/** RSA key sizes accepted for generated certificates (Exchange needs RSA, not ECDSA, and a legacy-CSP key). */
export const CERTIFICATE_RSA_BITS = [2048, 3072, 4096] as const;
export const DEFAULT_CERTIFICATE_RSA_BITS = 2048;

/** Entra ID refuses a certificate credential with a smaller RSA key at sign-in (AADSTS50032). */
export const MIN_RSA_BITS = 2048;

/** How long the post-deploy check waits for Entra and Exchange to catch up (no SLA; users report minutes). */
export const PROPAGATION_DEADLINE_MS = 15 * 60 * 1000;

/** Clock skew tolerated when judging a token's `nbf`/`iat`/`exp`. */
export const CLOCK_SKEW_SECONDS = 300;

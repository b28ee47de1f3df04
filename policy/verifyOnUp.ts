/**
 * Advisory: a stack whose app has a credential the post-deploy check could use (a client secret, or a certificate
 * the stack generates) but no check resource: `verifyOnUp` is off, so `pulumi up` can succeed into an identity that
 * Exchange refuses.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { ofType } from "./links";
import { TYPES } from "./types";

export const verifyOnUp: StackValidationPolicy = {
  name: "verify-on-up",
  description: "A stack with a client secret or a generated certificate should run the post-deploy check inside `pulumi up` (verifyOnUp).",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    if (ofType(args.resources, TYPES.check).length > 0 || ofType(args.resources, TYPES.application).length === 0) return;
    const generated = ofType(args.resources, TYPES.selfSignedCert).length > 0;
    const credentials = [...ofType(args.resources, TYPES.password), ...(generated ? ofType(args.resources, TYPES.certificate) : [])];
    if (credentials.length === 0) return;
    const names = credentials.map((credential) => `"${credential.name}"`).join(", ");
    reportViolation(
      `The stack declares credentials the post-deploy check could use (${names}) but no check ` +
        `(${TYPES.check}): verifyOnUp is off, so \`pulumi up\` succeeds even when Exchange refuses the app. Set ` +
        `exchange-app-only:verifyOnUp to true (the default), or run \`exo-app-only verify --stack <stack>\` after every up.`,
      ofType(args.resources, TYPES.application)[0]!.urn,
    );
  },
};

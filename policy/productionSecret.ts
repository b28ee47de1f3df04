/**
 * Advisory: a client secret in a stack named like production. A secret works from any machine that has a copy;
 * production is where a certificate or a federated credential (nothing to copy) pays off.
 */
import * as azuread from "@pulumi/azuread";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import type { PackContext } from "./context";

export const PRODUCTION_WORDS = ["prod", "production", "prd", "live"] as const;

/**
 * The word that makes `stack` look like production, if any: `prod`, `production`, `prd` or `live` as a word of its
 * name (`contoso-prod`, `prod`, `live_eu`, `contosoProd`, `prod2`), not inside one (`product`, `delivery`). An
 * `org/project/stack` name is judged by its last part.
 */
export function productionWord(stack: string): string | undefined {
  const name = stack.split("/").pop() ?? "";
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((word) => word.replace(/\d+$/, ""));
  return words.find((word) => (PRODUCTION_WORDS as readonly string[]).includes(word));
}

export function noClientSecretInProduction(context: PackContext): ResourceValidationPolicy {
  return {
    name: "no-client-secret-in-production",
    description: "A stack named like production should not hold a client secret.",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(azuread.ApplicationPassword, (_password, args, reportViolation) => {
      const stack = context.stack();
      const word = productionWord(stack);
      if (!word) return;
      reportViolation(
        `ApplicationPassword "${args.name}" is a client secret in stack "${stack}", which looks like production ` +
          `("${word}"): anyone with a copy can use it from anywhere until it expires. Set exchange-app-only:clientSecret ` +
          `to false and sign in with the certificate (certificate: generate, the default) or a federated credential.`,
      );
    }),
  };
}

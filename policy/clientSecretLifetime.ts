/**
 * Advisory: a client secret that lives longer than 180 days (Entra's recommended maximum, this project's default).
 * A long-lived secret is a long-lived way in for whoever copies it.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { SECRET_LIFETIME_DAYS } from "../src/facts";
import type { PackContext } from "./context";
import { passwordLifetime } from "./lifetime";
import { ofType } from "./links";
import { TYPES } from "./types";

/** An end date this close past the limit is the same lifetime, seen a moment later. */
const SLACK_DAYS = 1 / 24;

export interface ClientSecretLifetimeConfig {
  readonly maxDays?: number;
}

export function clientSecretLifetime(context: PackContext): StackValidationPolicy {
  return {
    name: "client-secret-lifetime",
    description: `A client secret should not live longer than ${SECRET_LIFETIME_DAYS.default} days.`,
    enforcementLevel: "advisory",
    configSchema: { properties: { maxDays: { type: "integer", minimum: 1, default: SECRET_LIFETIME_DAYS.default } } },
    validateStack: (args, reportViolation) => {
      const maxDays = args.getConfig<ClientSecretLifetimeConfig>().maxDays ?? SECRET_LIFETIME_DAYS.default;
      const now = context.now();
      for (const password of ofType(args.resources, TYPES.password)) {
        const lifetime = passwordLifetime(password, now);
        if (!lifetime || lifetime.days <= maxDays + SLACK_DAYS) continue;
        reportViolation(
          `ApplicationPassword "${password.name}": ${lifetime.source} makes the secret live ${Math.round(lifetime.days)} days, ` +
            `more than ${maxDays}. Set exchange-app-only:clientSecretLifetimeDays to ${maxDays} or less and add 1 to ` +
            `clientSecretRotation to re-issue it, or use the certificate (the default) or a federated credential instead.`,
          password.urn,
        );
      }
    },
  };
}

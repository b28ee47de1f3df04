import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import type { ClientSecretConfig } from "../src/config/stackConfig";
import { secretSlots } from "../src/credentials/secretSlots";

export interface ClientSecretCredentialArgs {
  /** `/applications/{objectId}` of the app registration (`Application.id`). */
  readonly applicationId: pulumi.Input<string>;
  readonly secret: ClientSecretConfig;
  /** Prefix of each secret's display name in the portal. */
  readonly displayName: pulumi.Input<string>;
}

/**
 * Client secrets in two slots (see `secretSlots`). Each slot's expiry comes from a `time.Rotating` named after
 * its generation: a new generation is a new timestamp, so its secret is re-issued with the lifetime in force at
 * that moment; changing the lifetime alone never re-issues a secret a consumer may be using. When a slot's
 * timestamp passes, the next `pulumi up` renews that slot only.
 */
export class ClientSecretCredential extends pulumi.ComponentResource {
  /** Secret. The newest client secret. */
  readonly value: pulumi.Output<string>;
  /** RFC 3339 expiry of the newest client secret. */
  readonly endDate: pulumi.Output<string>;
  readonly passwords: azuread.ApplicationPassword[] = [];

  constructor(name: string, args: ClientSecretCredentialArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:ClientSecretCredential", name, {}, opts);

    let current: { value: pulumi.Output<string>; endDate: pulumi.Output<string> } | undefined;
    for (const slot of secretSlots(args.secret.rotation)) {
      const expiry = new time.Rotating(
        `${name}-${slot.slot}-g${slot.generation}`,
        { rotationDays: args.secret.lifetimeDays },
        { parent: this, ignoreChanges: ["rotationDays"] },
      );
      const password = new azuread.ApplicationPassword(
        `${name}-${slot.slot}`,
        {
          applicationId: args.applicationId,
          displayName: pulumi.interpolate`${args.displayName} secret ${slot.slot} (rotation ${slot.generation})`,
          endDate: expiry.rotationRfc3339,
          rotateWhenChanged: { expiry: expiry.id },
        },
        { parent: this },
      );
      this.passwords.push(password);
      if (slot.current) current = { value: password.value, endDate: expiry.rotationRfc3339 };
    }
    this.value = pulumi.secret(current!.value);
    this.endDate = current!.endDate;

    this.registerOutputs({ endDate: this.endDate });
  }
}

import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { FederatedCredential } from "../src/credentials/federation";

export interface FederatedCredentialsArgs {
  /** `/applications/{objectId}` of the app registration (`Application.id`). */
  readonly applicationId: pulumi.Input<string>;
  /** Issuer, subject and audience already derived for each platform (`src/credentials/federation.ts`). */
  readonly credentials: readonly FederatedCredential[];
}

/** Federated identity credentials: pipelines and clusters exchange their own OIDC token, no secret stored. */
export class FederatedCredentials extends pulumi.ComponentResource {
  readonly resources: azuread.ApplicationFederatedIdentityCredential[];

  constructor(name: string, args: FederatedCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:FederatedCredentials", name, {}, opts);
    this.resources = args.credentials.map(
      (credential) =>
        new azuread.ApplicationFederatedIdentityCredential(
          `${name}-${credential.name}`,
          {
            applicationId: args.applicationId,
            displayName: credential.name,
            issuer: credential.issuer,
            subject: credential.subject,
            audiences: [credential.audience],
          },
          { parent: this },
        ),
    );
    this.registerOutputs({ count: this.resources.length });
  }
}

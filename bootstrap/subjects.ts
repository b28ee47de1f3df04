/** The federated credentials for one repository: the deploying identity's, and the read-only preview app's. */
import { federatedCredential, type FederatedCredential } from "../src/credentials/federation";
import type { BootstrapConfig } from "./settings";

/** One per branch and environment, and pull requests when they sign in as the deployer. */
export function deployerCredentials(config: BootstrapConfig): FederatedCredential[] {
  const repository = config.repository;
  return [
    ...config.branches.map((branch) => federatedCredential({ kind: "github", repository, branch })),
    ...(config.pullRequest === "deployer" ? [federatedCredential({ kind: "github", repository, pullRequest: true })] : []),
    ...config.environments.map((environment) => federatedCredential({ kind: "github", repository, environment })),
  ];
}

/** Pull requests, when they sign in as the preview app. */
export function previewCredentials(config: BootstrapConfig): FederatedCredential[] {
  return config.pullRequest === "preview" ? [federatedCredential({ kind: "github", repository: config.repository, pullRequest: true })] : [];
}

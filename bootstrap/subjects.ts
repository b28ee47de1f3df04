/** The federated credentials of the deploying identity: one per branch, environment and pull requests, for one repository. */
import { federatedCredential, type FederatedCredential } from "../src/federation";
import type { BootstrapConfig } from "./config";

export function deployerCredentials(config: BootstrapConfig): FederatedCredential[] {
  const repository = config.repository;
  return [
    ...config.branches.map((branch) => federatedCredential({ kind: "github", repository, branch })),
    ...(config.pullRequest ? [federatedCredential({ kind: "github", repository, pullRequest: true })] : []),
    ...config.environments.map((environment) => federatedCredential({ kind: "github", repository, environment })),
  ];
}

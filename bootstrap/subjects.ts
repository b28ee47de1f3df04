/** The federated credentials for one repository: the deploying identity's, and the read-only preview app's. */
import { githubRepositoryName } from "../src/config/githubRepository";
import { federatedCredential, type FederatedCredential } from "../src/credentials/federation";
import type { BootstrapConfig } from "./settings";

/**
 * The repository as the credentials name it: as configured (`owner/repo`, or `owner@owner_id/repo@repo_id` for
 * GitHub's immutable subjects), and its name-only form beside it while the repository switches.
 */
function repositories(config: BootstrapConfig): string[] {
  return config.keepNameOnlySubjects ? [config.repository, githubRepositoryName(config.repository)] : [config.repository];
}

/** One per branch and environment, and pull requests when they sign in as the deployer; for each form of the repository. */
export function deployerCredentials(config: BootstrapConfig): FederatedCredential[] {
  return repositories(config).flatMap((repository) => [
    ...config.branches.map((branch) => federatedCredential({ kind: "github", repository, branch })),
    ...(config.pullRequest === "deployer" ? [federatedCredential({ kind: "github", repository, pullRequest: true })] : []),
    ...config.environments.map((environment) => federatedCredential({ kind: "github", repository, environment })),
  ]);
}

/** Pull requests, when they sign in as the preview app. */
export function previewCredentials(config: BootstrapConfig): FederatedCredential[] {
  return config.pullRequest === "preview" ? repositories(config).map((repository) => federatedCredential({ kind: "github", repository, pullRequest: true })) : [];
}

/** The auditor's: one a branch (the drift workflow's scheduled runs present the default branch's subject). */
export function auditorCredentials(config: BootstrapConfig): FederatedCredential[] {
  return config.auditor ? repositories(config).flatMap((repository) => config.branches.map((branch) => federatedCredential({ kind: "github", repository, branch }))) : [];
}

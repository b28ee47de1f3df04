/**
 * The bootstrap stack's config as a shape: its keys, their defaults and the validated config's type. Both the
 * parser (config.ts) and the credentials it names (subjects.ts) read it, so neither imports the other.
 */
import type { ApplicationPermission } from "./permissions";

export const PROJECT = "exchange-app-only-bootstrap";

/** Entra allows 20 federated identity credentials on one application. */
export const MAX_FEDERATED_CREDENTIALS = 20;

/**
 * Who may sign in from a pull request's workflow run: `preview`, a second app that can only read (the default);
 * `deployer`, the deploying identity itself (any branch could then run `pulumi up` with it); `none`.
 */
export const PULL_REQUEST_MODES = ["preview", "deployer", "none"] as const;
export type PullRequestMode = (typeof PULL_REQUEST_MODES)[number];

export interface BootstrapConfig {
  /** `owner/repo`, or `owner@owner_id/repo@repo_id` for a repository on GitHub's immutable OIDC subjects. */
  readonly repository: string;
  readonly branches: readonly string[];
  readonly pullRequest: PullRequestMode;
  readonly environments: readonly string[];
  readonly applicationPermission: ApplicationPermission;
  readonly displayName: string;
  /**
   * With an immutable `repository`: also trust the same repository's name-only subjects, so workflows keep signing
   * in while the repository switches to immutable subjects (docs/federated-credentials.md, "Moving to GitHub's immutable subjects").
   */
  readonly keepNameOnlySubjects: boolean;
  /**
   * Also create the auditor (`exo-app-only audit` in the drift workflow): read-only Graph permissions, Exchange's
   * `Exchange.ManageAsApp`, and the branches' federated credentials (docs/audit.md, "The auditor's permissions").
   */
  readonly auditor: boolean;
}

export const KEYS = ["repository", "branches", "pullRequest", "environments", "applicationPermission", "displayName", "keepNameOnlySubjects", "auditor"] as const;
/** Every key but `repository` has one; Pulumi.yaml declares the same (a test compares them). */
export const DEFAULTS = {
  branches: ["main"],
  pullRequest: "preview",
  environments: ["exo-app-only-destroy"],
  applicationPermission: "OwnedBy",
  displayName: "exchange-app-only deployer",
  keepNameOnlySubjects: false,
  auditor: false,
} as const;

/** Schema for `federatedCredentials`: a list of sources, each checked against what its platform really issues. */
import { z } from "zod";
import { isDirectoryId } from "../facts";
import { githubRepositoryProblem } from "./githubRepository";

const CREDENTIAL_NAME = /^[A-Za-z0-9_-]{1,120}$/;
/** Git refs and environment names: no spaces, no wildcards (Entra matches subjects exactly). */
const REF = /^[^\s*?[\]~^:\\]+$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export const FEDERATED_KINDS = ["github", "azureDevOps", "gitlab", "kubernetes", "custom"] as const;

const httpsUrl = (what: string) =>
  z.string().refine((v) => /^https:\/\/[^\s/]+/.test(v), { error: `${what} must be an https:// URL` });
const ref = (what: string) =>
  z.string().min(1, { error: `${what} must not be empty` }).regex(REF, { error: `${what} must be an exact name: no spaces or wildcards (Entra matches subjects exactly)` });

const common = {
  name: z.string().regex(CREDENTIAL_NAME, { error: "name may hold letters, digits, - and _ only (120 at most)" }).optional(),
  audience: z.string().min(1).optional(),
};

const github = z
  .object({
    kind: z.literal("github"),
    // owner/repo or owner@owner_id/repo@repo_id: the same rule as bootstrap's repository (githubRepository.ts).
    repository: z.string().superRefine((value, ctx) => {
      const problem = githubRepositoryProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: `repository ${problem}` });
    }),
    branch: ref("branch").optional(),
    tag: ref("tag").optional(),
    environment: ref("environment").optional(),
    pullRequest: z.literal(true, { error: "pullRequest must be true when set" }).optional(),
    ...common,
  })
  .strict()
  .refine((v) => [v.branch, v.tag, v.environment, v.pullRequest].filter((x) => x !== undefined).length === 1, {
    error: "set exactly one of branch, tag, environment or pullRequest: true (a GitHub subject names one of them)",
  });

const azureDevOps = z
  .object({
    kind: z.literal("azureDevOps"),
    organization: ref("organization"),
    organizationId: z.string().refine(isDirectoryId, { error: "organizationId must be the organization's GUID (Organization settings → Microsoft Entra)" }),
    project: z.string().min(1, { error: "project must not be empty" }),
    serviceConnection: z.string().min(1, { error: "serviceConnection must not be empty" }),
    ...common,
  })
  .strict();

const gitlab = z
  .object({
    kind: z.literal("gitlab"),
    project: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, { error: 'project must be "group/project"' }),
    refType: z.enum(["branch", "tag"], { error: 'refType must be "branch" or "tag"' }),
    ref: ref("ref"),
    url: httpsUrl("url").optional(),
    ...common,
  })
  .strict();

const kubernetes = z
  .object({
    kind: z.literal("kubernetes"),
    issuer: httpsUrl("issuer"),
    namespace: z.string().regex(K8S_NAME, { error: "namespace must be a Kubernetes name (lower case, digits, -)" }),
    serviceAccount: z.string().regex(K8S_NAME, { error: "serviceAccount must be a Kubernetes name (lower case, digits, -)" }),
    ...common,
  })
  .strict();

const custom = z
  .object({ kind: z.literal("custom"), issuer: httpsUrl("issuer"), subject: z.string().min(1), ...common })
  .strict();

export const federatedCredentialSchema = z.discriminatedUnion("kind", [github, azureDevOps, gitlab, kubernetes, custom]);

/** Entra allows at most 20 federated identity credentials on one application. */
export const MAX_FEDERATED_CREDENTIALS = 20;

/** Each kind's fields, from the schema itself: what "did you mean" and the list of fields offer. */
export const FEDERATED_FIELDS = Object.fromEntries(
  federatedCredentialSchema.options.map((option) => [option.shape.kind.value, Object.keys(option.shape)]),
) as Record<(typeof FEDERATED_KINDS)[number], string[]>;

/**
 * `--stack NAME`: the stack's outputs through `pulumi stack output --json --show-secrets --stack NAME`.
 * The child gets no secret on its command line (it prints them; we read them from its stdout). Its output is
 * validated: only the fields the check needs, by the names in src/stackOutputs.ts.
 */
import { execFile } from "node:child_process";
import { z } from "zod";
import { CLOUD_NAMES } from "../facts";
import { CheckSetupError } from "../check/errors";
import type { StackOutputs } from "../stackOutputs";

/** What `verify` reads from a stack: a subset of StackOutputs. */
export type StackCheckInputs = Pick<StackOutputs, "tenantId" | "clientId" | "environment"> &
  Partial<Pick<StackOutputs, "organization" | "authorityHost" | "exchangeResource" | "clientSecret" | "clientSecretEndDate" | "certificatePem" | "certificatePrivateKeyPem">>;

const schema = z.object({
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  environment: z.enum(CLOUD_NAMES),
  organization: z.string().optional(),
  authorityHost: z.string().optional(),
  exchangeResource: z.string().optional(),
  clientSecret: z.string().optional(),
  clientSecretEndDate: z.string().optional(),
  certificatePem: z.string().optional(),
  certificatePrivateKeyPem: z.string().optional(),
});

/** Validates parsed `pulumi stack output --json` text. Messages name keys, never values. */
export function parseStackOutputs(stack: string, stdout: string): StackCheckInputs {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new CheckSetupError("ERR_STACK", `stack ${stack}: \`pulumi stack output --json\` did not print JSON`, "Run `pulumi stack output --json --stack NAME` yourself to see what it prints.");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const keys = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(root)"))].join(", ");
    throw new CheckSetupError(
      "ERR_STACK",
      `stack ${stack} lacks usable outputs: ${keys}`,
      "Run `pulumi up` for this stack first (it exports tenantId, clientId, environment and the credentials), or pass --tenant-id, --client-id and a credential instead of --stack.",
    );
  }
  const out = parsed.data;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as StackCheckInputs;
}

/** Runs the pulumi CLI found on PATH. */
export function readStackOutputs(stack: string, env: NodeJS.ProcessEnv = process.env): Promise<StackCheckInputs> {
  if (!/^[A-Za-z0-9._/-]+$/.test(stack)) {
    return Promise.reject(new CheckSetupError("ERR_USAGE", `--stack ${JSON.stringify(stack)} is not a stack name`, "Pass a stack name such as dev or org/project/dev."));
  }
  return new Promise((resolve, reject) => {
    execFile(
      "pulumi",
      ["stack", "output", "--json", "--show-secrets", "--stack", stack],
      { env, maxBuffer: 16 * 1024 * 1024, timeout: 120_000, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "ENOENT") {
            reject(
              new CheckSetupError("ERR_STACK", "the pulumi CLI is not on PATH", "Install Pulumi (https://www.pulumi.com/docs/install/), or pass --tenant-id, --client-id and a credential instead of --stack."),
            );
            return;
          }
          const said = String(stderr).split("\n").map((l) => l.trim()).find((l) => l.length > 0) ?? `exit code ${String(error.code)}`;
          reject(new CheckSetupError("ERR_STACK", `pulumi stack output --stack ${stack} failed: ${said.slice(0, 300)}`, "Check the stack name and that you are logged in to its backend (pulumi login)."));
          return;
        }
        try {
          resolve(parseStackOutputs(stack, String(stdout)));
        } catch (e) {
          reject(e);
        }
      },
    );
  });
}

/**
 * `--stack NAME`: the stack's outputs through `pulumi stack output --json --show-secrets --stack NAME`.
 * The child gets no secret on its command line (it prints them; we read them from its stdout). Its output is
 * validated: only the fields the check needs, by the names in src/outputs/stackOutputs.ts.
 */
import { execFile } from "node:child_process";
import { z } from "zod";
import { CLOUD_NAMES } from "../facts";
import { CheckSetupError } from "../errors";
import type { StackOutputs } from "../outputs/stackOutputs";
import { STACK_NAME_RULE, isStackName, notAStackName } from "../plan/stackFile";

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

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * One tenant's outputs from a stack of many (`{ tenants: { <key>: … } }`, see ManyTenantStackOutputs): the one
 * `tenant` names, or the only one there is. A one-tenant stack's outputs are returned as they are.
 */
function tenantOutputs(stack: string, json: unknown, tenant: string | undefined): unknown {
  if (!isMap(json) || !isMap(json.tenants)) {
    if (tenant !== undefined) throw new CheckSetupError("ERR_USAGE", `--tenant ${JSON.stringify(tenant)}: stack ${stack} holds one tenant`, "Leave out --tenant for a stack without exchange-app-only:tenants.");
    return json;
  }
  const keys = Object.keys(json.tenants);
  const key = tenant ?? (keys.length === 1 ? keys[0] : undefined);
  if (key === undefined || !(key in json.tenants)) {
    const which = tenant === undefined ? `holds ${keys.length} tenants` : `has no tenant ${JSON.stringify(tenant)}`;
    throw new CheckSetupError("ERR_USAGE", `stack ${stack} ${which}: ${keys.join(", ") || "none"}`, `Pass --tenant KEY to check one of them, or check them all with \`exo-app-only fleet verify ${stack}\`.`);
  }
  const outputs = json.tenants[key];
  if (isMap(outputs) && outputs.consent === "manual") {
    throw new CheckSetupError("ERR_STACK", `tenant ${key} of stack ${stack} waits for its admin's consent (consent: manual)`, "Its admin opens the stack's adminConsentUrl output for that tenant and assigns the role (roleAssignment); then check it again.");
  }
  return outputs;
}

/**
 * Validates parsed `pulumi stack output --json` text, of one tenant or (with `tenant`, or when there is only one)
 * of one tenant of a stack of many. Messages name keys, never values.
 */
export function parseStackOutputs(stack: string, stdout: string, tenant?: string): StackCheckInputs {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new CheckSetupError("ERR_STACK", `stack ${stack}: \`pulumi stack output --json\` did not print JSON`, "Run `pulumi stack output --json --stack NAME` yourself to see what it prints.");
  }
  const parsed = schema.safeParse(tenantOutputs(stack, json, tenant));
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
export function readStackOutputs(stack: string, env: NodeJS.ProcessEnv = process.env, tenant?: string): Promise<StackCheckInputs> {
  if (!isStackName(stack)) return Promise.reject(new CheckSetupError("ERR_USAGE", `--stack ${notAStackName(stack)}`, STACK_NAME_RULE));
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
          resolve(parseStackOutputs(stack, String(stdout), tenant));
        } catch (e) {
          reject(e);
        }
      },
    );
  });
}

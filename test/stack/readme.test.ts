/**
 * The docs name everything the program reads and exports: the config reference every key, the sign-in section every
 * azuread setting, the outputs page every output. The README keeps the set-up commands, and every doc writes a command
 * whose output is parsed so that it pipes.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { CONFIG_KEY_NAMES } from "../../src/config/keys";
import { AZUREAD_SETTINGS } from "../../src/config/provider";
import { docs, readDoc, ROOT, section } from "../support/docs";
import { evaluate } from "../support/evaluate";

const readme = readDoc("README.md");
const configReference = section("Config reference");
const signingIn = section("Signing in to the tenant");
const outputs = section("Outputs");

/**
 * Command lines of this project that ask for JSON: in code blocks (a `$ ` prompt or a YAML `- run: ` stripped) and
 * in inline code. Only commands that start with npm, npx, node or exo-app-only; `--json` alone is the flag's name.
 */
function jsonCommandLines(text: string): string[] {
  const blocks = [...text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n"));
  const inline = [...text.replace(/```[\s\S]*?```/g, "").matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return [...blocks, ...inline]
    .map((line) => line.trim().replace(/^(?:\$\s+|-?\s*run:\s+)/, ""))
    .filter((line) => /(^|\s)--json(\s|$)/.test(line) && /^(?:npm|npx|node|exo-app-only)\s/.test(line));
}

/** Pipes as written: nothing but the command's own output on stdout (npm without -s prints its banner there). */
const PIPEABLE = /^(?:npx exo-app-only|exo-app-only|npm run -s) /;

describe("the docs", () => {
  it.each(CONFIG_KEY_NAMES)("the config reference documents config key %s", (key) => {
    expect(configReference).toContain(`| \`${key}\` |`);
  });

  it.each(AZUREAD_SETTINGS)("Signing in to the tenant documents the azuread sign-in setting %s", (key) => {
    expect(signingIn).toContain(`\`${key}\``);
  });

  it("the outputs page documents every stack output", async () => {
    const run = await evaluate({ clientSecret: "true", federatedCredentials: [{ kind: "github", repository: "a/b", branch: "main" }] });
    const undocumented = Object.keys(run.outputs).filter((key) => !outputs.includes(`\`${key}\``));
    expect(undocumented).toEqual([]);
  });

  it("the outputs page documents the outputs of a stack of many tenants, a manual-consent tenant's included", async () => {
    const tenants = [
      { key: "msp", home: true, tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", organization: "msp.onmicrosoft.com" },
      { key: "fabrikam", consent: "manual", tenantId: "7a2e3d4c-5b6f-4a70-9b82-a3c4d5e6f708", organization: "fabrikam.onmicrosoft.com" },
    ];
    const run = await evaluate({ tenantId: undefined, organization: undefined, appMode: "multiTenant", tenants });
    expect(Object.keys(run.outputs)).toEqual(["tenants"]);
    expect(outputs).toContain("`tenants`");
    const byTenant = run.outputs.tenants as Record<string, Record<string, unknown>>;
    const keys = new Set([...Object.keys(byTenant.msp!), ...Object.keys(byTenant.fabrikam!), ...Object.keys(byTenant.fabrikam!.roleAssignment as object)]);
    expect([...keys].filter((key) => !outputs.includes(`\`${key}\``))).toEqual([]);
  });

  it("the README keeps the two set-up commands", () => {
    expect(readme).toMatch(/```sh\nnpm ci\nnpm test\n```/);
  });

  it("writes every command whose output is parsed (--json) so that it pipes: npx exo-app-only, exo-app-only or npm run -s", () => {
    const lines = docs().flatMap((doc) => jsonCommandLines(doc.text).map((line) => `${doc.file}: ${line}`));
    expect(lines.length).toBeGreaterThan(2); // plan's and verify's examples are found at all
    expect(lines.filter((line) => !PIPEABLE.test(line.slice(line.indexOf(": ") + 2)))).toEqual([]);
  });

  it("the rule catches what it should", () => {
    const sample = "```sh\nnpm run plan -- --stack dev --json\n$ npm run -s plan -- --json\n```\n```yaml\n  - run: npx exo-app-only verify --json\n```\nUse `npm run verify -- --json`; `--json` prints one object.";
    expect(jsonCommandLines(sample)).toEqual(["npm run plan -- --stack dev --json", "npm run -s plan -- --json", "npx exo-app-only verify --json", "npm run verify -- --json"]);
    expect(jsonCommandLines(sample).map((line) => PIPEABLE.test(line))).toEqual([false, true, true, false]);
  });

  it.each(["plan", "verify", "inspect-token"])("%s --help: its examples with --json pipe too", (command) => {
    const help = spawnSync(process.execPath, [join(ROOT, "dist", "src", "cli", "main.js"), command, "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    const lines = jsonCommandLines(`\`\`\`\n${help.stdout}\`\`\``);
    expect(lines.filter((line) => !PIPEABLE.test(line))).toEqual([]);
  });

  it("npm run -s plan -- --stack dev --json prints only JSON on stdout, as the docs say", () => {
    // Runs the package script as a reader would: it builds (tsc), then plans.
    const run = spawnSync("npm", ["run", "-s", "plan", "--", "--stack", "dev", "--json"], { cwd: ROOT, encoding: "utf8" });
    // tsc reports type errors on stdout: show both.
    if (run.status !== 0) throw new Error(`npm run -s plan exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
    const out = JSON.parse(run.stdout) as { ok: boolean; resources: unknown[] };
    expect(out.ok).toBe(true);
    expect(out.resources.length).toBeGreaterThan(5);
  });
});

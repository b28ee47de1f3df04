/**
 * "Fleets: one stack per tenant" (docs/fleets.md): the worked example runs as written. Its fleet.yaml in a project holding
 * those stacks; each command line through the built CLI (the fake driver stands in for Pulumi); the matrix it
 * prints is what its GitHub Actions snippet reads; the exit codes are the CLI's.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { EXIT } from "../../src/cli/exit";
import { EXIT_INTERRUPTED } from "../../src/cli/fleet";
import { section } from "../support/docs";
import { fakeFleet, runFleetCli } from "./cliRun";
import { tempProject, type TempProject } from "./project";

const fleets = section("Fleets: one stack per tenant");
const blocks = (lang: string): string[] => [...fleets.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);

/** `npx exo-app-only fleet up --glob 'x' > f.json  # note` → ["up", "--glob", "x"]: comment and redirect dropped, quotes removed. */
function fleetArgs(line: string): string[] {
  const words = [...line.replace(/\s+#.*$/, "").matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const redirect = words.indexOf(">");
  const args = redirect === -1 ? words : words.slice(0, redirect);
  expect(args.slice(0, 3)).toEqual(["npx", "exo-app-only", "fleet"]);
  return args.slice(3);
}

let project: TempProject;
beforeEach(() => {
  project = tempProject(["contoso"]);
  project.write("tenants/Pulumi.fabrikam.yaml", "config: {}\n");
  const fleetYaml = blocks("yaml").find((b) => b.includes("stacks:"));
  expect(fleetYaml).toBeDefined();
  project.write("fleet.yaml", fleetYaml!);
});
afterEach(() => project.cleanup());

const commandLines = (): string[] => blocks("sh").flatMap((b) => b.split("\n")).filter((l) => l.startsWith("npx exo-app-only fleet "));

test("the section shows preview, up, --only-failed, verify, refresh, destroy and matrix", () => {
  expect(commandLines().map((l) => fleetArgs(l)[0])).toEqual(["preview", "up", "up", "verify", "refresh", "destroy", "matrix"]);
});

test("preview, refresh and destroy run as written on the example's fleet, with fabrikam's config file", async () => {
  for (const [i, line] of commandLines().filter((l) => / fleet (preview|refresh|destroy) /.test(l)).entries()) {
    const fake = fakeFleet(project.dir, {}, {}, `fake-${i}`);
    const r = await runFleetCli(fleetArgs(line), { cwd: project.dir, env: fake.env });
    expect([line, r.code, r.stderr]).toEqual([line, 0, expect.any(String)]);
    const starts = fake.log().filter((l) => l.event === "start");
    if (line.includes("refresh")) {
      expect(starts.map((l) => `${l.op} ${l.stack}`).sort()).toEqual(["refresh contoso", "refresh fabrikam"]);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, command: "refresh" });
    } else if (line.includes("preview")) {
      expect(starts.map((l) => [l.stack, l.configFile])).toEqual(
        expect.arrayContaining([
          ["contoso", undefined],
          ["fabrikam", path.join(project.dir, "tenants", "Pulumi.fabrikam.yaml")],
        ]),
      );
    } else {
      expect(starts.map((l) => `${l.op} ${l.stack}`)).toEqual(["destroy contoso"]);
    }
  }
});

test("up, --only-failed and verify are accepted as written (they check against Exchange itself, so they run to a check here)", async () => {
  const fake = fakeFleet(project.dir, {});
  for (const line of commandLines().filter((l) => / fleet (up|verify) /.test(l))) {
    const r = await runFleetCli(fleetArgs(line), { cwd: project.dir, env: fake.env });
    // No usage error: the stacks ran, and the check found the fake stacks' outputs empty.
    expect([line, r.code]).toEqual([line, EXIT.failed]);
    expect(r.stdout).toMatch(/lacks usable outputs/);
  }
});

test("matrix: what the workflow snippet reads (stack and configFile), and the snippet's matrix wiring", async () => {
  const line = commandLines().find((l) => l.includes(" fleet matrix "))!;
  const r = await runFleetCli(fleetArgs(line), { cwd: project.dir });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({
    include: [
      { stack: "contoso", configFile: "Pulumi.contoso.yaml" },
      { stack: "fabrikam", configFile: "tenants/Pulumi.fabrikam.yaml" },
    ],
  });

  // The snippet is the heart of deploy.yml, which runs the fleet a stack a job: it must say what the workflow does.
  const snippet = parse(blocks("yaml").find((b) => b.includes("strategy:"))!) as { strategy: any; concurrency: any };
  const deploy = (parse(readFileSync(path.resolve(__dirname, "..", "..", ".github", "workflows", "deploy.yml"), "utf8")) as { jobs: Record<string, any> }).jobs;
  expect(deploy.fleet.steps.map((st: any) => st.run ?? "").join("\n")).toContain("npx exo-app-only fleet matrix");
  expect(deploy.fleet.outputs.matrix).toBe("${{ steps.matrix.outputs.matrix }}");
  expect(deploy.deploy.needs).toBe("fleet");
  expect(snippet.strategy).toEqual(deploy.deploy.strategy);
  expect(snippet.concurrency).toEqual(deploy.deploy.concurrency);
  expect(snippet.strategy.matrix).toBe("${{ fromJSON(needs.fleet.outputs.matrix) }}");
  expect(snippet.strategy["max-parallel"]).toBeGreaterThan(0);
  expect(snippet.concurrency.group).toContain("${{ matrix.stack }}");
  expect(snippet.concurrency["cancel-in-progress"]).toBe(false);
});

test("the exit codes table is the CLI's", () => {
  const rows = [...fleets.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => Number(m[1]));
  expect(rows).toEqual([EXIT.ok, EXIT.failed, EXIT.usage, EXIT_INTERRUPTED]);
});

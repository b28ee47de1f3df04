/**
 * The plugin started as the engine starts it: `node <sdk>/cmd/run-plugin <plugin folder> <engine address>`, from a copy
 * of provider/ in another folder with its own install of the packed package (its index.js then loads the provider from
 * that dependency), the working directory elsewhere. It prints its port and serves the committed schema over gRPC;
 * without an engine address, or with an unreadable schema.json, it says so and exits non-zero.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installConsumer, packProject, ROOT } from "../support/consumer";
import { getSchema, runPlugin, startPlugin } from "../support/plugin";

const work = mkdtempSync(join(tmpdir(), "exo-plugin-"));
const elsewhere = join(work, "elsewhere");
let plugin = "";

const start = (folder: string, args: readonly string[]) => startPlugin(folder, args, elsewhere);

beforeAll(() => {
  mkdirSync(elsewhere);
  // A tsconfig.json here would break a plugin that relied on ts-node (it reads the cwd's): ours must not care.
  writeFileSync(join(elsewhere, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs" } }));
  plugin = installConsumer(join(work, "plugin"), join(ROOT, "provider"), packProject(work));
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the plugin, started from a moved copy of provider/", () => {
  it("prints its port and serves the committed schema.json over gRPC", async () => {
    const { port, child } = await start(plugin, ["127.0.0.1:1"]);
    try {
      const served = await getSchema(port);
      expect(JSON.parse(served)).toEqual(JSON.parse(readFileSync(join(ROOT, "provider", "schema.json"), "utf8")));
    } finally {
      child.kill();
    }
  }, 60_000);

  it("without an engine address says so and exits non-zero", () => {
    const child = spawnSync(process.execPath, [runPlugin(plugin), plugin], { cwd: elsewhere, encoding: "utf8", timeout: 60_000 });
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain("missing the engine address");
    expect(child.stdout).not.toMatch(/^\d+\s*$/m);
  }, 60_000);

  it("with an unreadable schema.json says which file and exits non-zero", () => {
    const broken = join(work, "broken");
    cpSync(plugin, broken, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(broken, "schema.json"), "{ not json");
    const child = spawnSync(process.execPath, [runPlugin(broken), broken, "127.0.0.1:1"], { cwd: elsewhere, encoding: "utf8", timeout: 60_000 });
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain(`cannot read its schema ${join(broken, "schema.json")}`);
    expect(child.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 120_000);
});

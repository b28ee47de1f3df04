/** Stack and project files read as the Pulumi CLI reads them (go-yaml v3), and found where it finds them. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StackFileError, StackNameError, locateStack, readStackConfig } from "../../src/plan/stackFile";

const ROOT = join(__dirname, "..", "..");
const PROJECT = "name: exchange-app-only\nruntime: nodejs\nconfig:\n  role:\n    type: string\n    default: Exchange Administrator\n  verifyOnUp:\n    type: boolean\n    default: true\n";

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "exo-stackfile-"));
  folders.push(dir);
  for (const [name, text] of Object.entries({ "Pulumi.yaml": PROJECT, ...files })) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The config the engine would hand the program for this stack file text. */
function read(stackYaml: string, projectYaml = PROJECT): Record<string, string> {
  const dir = project({ "Pulumi.yaml": projectYaml, "Pulumi.s.yaml": stackYaml });
  return readStackConfig(join(dir, "Pulumi.yaml"), join(dir, "Pulumi.s.yaml"));
}

function readError(stackYaml: string, projectYaml = PROJECT): StackFileError {
  try {
    read(stackYaml, projectYaml);
  } catch (error) {
    if (error instanceof StackFileError) return error;
    throw error;
  }
  throw new Error("expected a StackFileError");
}

describe("values, as go-yaml v3 decodes them and the engine renders them to the program", () => {
  it.each([
    ["TRUE", "true"],
    ["True", "true"],
    ["true", "true"],
    ["FALSE", "false"],
    ["yes", "yes"], // YAML 1.1 booleans are strings in go-yaml v3
    ["on", "on"],
    ["off", "off"],
    ["y", "y"],
    ['"TRUE"', "TRUE"], // quoted: text as written
    ["'017'", "017"],
    ["365", "365"],
    ["017", "15"], // Go's leading-zero octal
    ["0o17", "15"],
    ["0x1F", "31"],
    ["-0x1F", "-31"],
    ["0b101", "5"],
    ["1_000", "1000"],
    ["9007199254740993", "9007199254740993"], // int64, exact
    ["1.50", "1.5"],
    ["1e3", "1000"],
    ["2026-01-01", "2026-01-01"], // a timestamp decoded into any stays text
    ["Exchange Administrator", "Exchange Administrator"],
  ])("%s → %j", (yaml, engine) => {
    expect(read(`config:\n  exchange-app-only:role: ${yaml}\n`)["exchange-app-only:role"]).toBe(engine);
  });

  it("renders lists and objects as JSON, scalars inside them decoded the same way", () => {
    const config = read("config:\n  exchange-app-only:owners: [TRUE, yes, 017, 1_000, \"x\", {a: on}]\n");
    expect(config["exchange-app-only:owners"]).toBe('[true,"yes",15,1000,"x",{"a":"on"}]');
  });

  it("resolves merge keys (<<: *anchor) in the config map and inside values, later keys overriding", () => {
    const config = read(
      [
        "tenant: &tenant",
        "  exchange-app-only:organization: contoso.onmicrosoft.com",
        "  exchange-app-only:role: Global Reader",
        "config:",
        "  <<: *tenant",
        "  exchange-app-only:role: Exchange Administrator",
        "  exchange-app-only:federatedCredentials:",
        "    - &main",
        "      kind: github",
        "      repository: contoso/runbooks",
        "      branch: main",
        "    - <<: *main",
        "      branch: release",
        "",
      ].join("\n"),
    );
    expect(config["exchange-app-only:organization"]).toBe("contoso.onmicrosoft.com");
    expect(config["exchange-app-only:role"]).toBe("Exchange Administrator");
    expect(config).not.toHaveProperty(["exchange-app-only:<<"]);
    expect(JSON.parse(config["exchange-app-only:federatedCredentials"]!)).toEqual([
      { kind: "github", repository: "contoso/runbooks", branch: "main" },
      { kind: "github", repository: "contoso/runbooks", branch: "release" },
    ]);
  });

  it("fills the project's defaults (declared, or the short form), the stack's values win, bare keys get the project's namespace", () => {
    const config = read("config:\n  role: Global Reader\n", `${PROJECT}  displayName: from-project\n`);
    expect(config).toEqual({
      "exchange-app-only:role": "Global Reader",
      "exchange-app-only:verifyOnUp": "true",
      "exchange-app-only:displayName": "from-project",
    });
  });

  it("an empty stack file, or an empty config:, is a stack with no values of its own", () => {
    const defaults = { "exchange-app-only:role": "Exchange Administrator", "exchange-app-only:verifyOnUp": "true" };
    expect(read("")).toEqual(defaults);
    expect(read("# nothing yet\n")).toEqual(defaults);
    expect(read("config:\n")).toEqual(defaults);
  });
});

describe("a file of the wrong shape gets a clear error saying so", () => {
  it.each([
    ["a list at the top level", "- exchange-app-only:tenantId: x\n", "must be a map with a config: key at the top level, found a list"],
    ["text at the top level", "exchange-app-only:tenantId\n", 'must be a map with a config: key at the top level, found the text "exchange-app-only:tenantId"'],
    ["a number at the top level", "42\n", "must be a map with a config: key at the top level, found the number 42"],
    ["config: as a list", "config:\n  - exchange-app-only:tenantId: x\n", "config: must be a map of key: value, found a list"],
    ["config: as text", "config: tenantId=x\n", 'config: must be a map of key: value, found the text "tenantId=x"'],
  ])("%s", (_, yaml, message) => {
    const error = readError(yaml);
    expect(error.code).toBe("ERR_STACK_FILE");
    expect(error.message).toContain("Pulumi.s.yaml");
    expect(error.message).toContain(message);
    expect(error.remedy).toContain("exchange-app-only:tenantId");
  });

  it("a project file that is not a map, or whose config: is not a map", () => {
    expect(readError("config: {}\n", "- name\n").message).toMatch(/Pulumi\.yaml must be a map \(name:, runtime:, config:\), found a list/);
    expect(readError("config: {}\n", "runtime: nodejs\n").message).toMatch(/Pulumi\.yaml has no name:/);
    expect(readError("config: {}\n", "name: p\nconfig: [a]\n").message).toMatch(/Pulumi\.yaml: config: must be a map of key: declaration, found a list/);
  });

  it("an encrypted value the program must read, even nested, is refused by name and path (offline plans cannot decrypt)", () => {
    expect(readError("config:\n  exchange-app-only:role:\n    secure: AAABAI=\n").message).toContain("exchange-app-only:role holds an encrypted (secure:) value");
    expect(readError("config:\n  exchange-app-only:owners:\n    - secure: AAABAI=\n").message).toContain("exchange-app-only:owners[0] holds an encrypted");
  });

  it("a value with no JSON form (.inf, .nan) is refused, as the CLI refuses it", () => {
    expect(readError("config:\n  exchange-app-only:certificateValidityDays: .inf\n").message).toContain("exchange-app-only:certificateValidityDays holds Infinity");
  });

  it("broken YAML names the file and the line", () => {
    expect(readError("config:\n  a: [1, 2\n").message).toMatch(/Pulumi\.s\.yaml is not valid YAML \(.*line/);
  });
});

describe("locateStack: where the Pulumi CLI finds the project and the stack file", () => {
  it("the project from the current folder upward; --stack beside it", () => {
    expect(locateStack({ stack: "dev", cwd: join(ROOT, "src", "plan") })).toEqual({
      projectFile: join(ROOT, "Pulumi.yaml"),
      stackFile: join(ROOT, "Pulumi.dev.yaml"),
      stackName: "dev",
    });
  });

  it("--config-file relative to the current folder, named after the file; the project still from the current folder", () => {
    const elsewhere = project({});
    expect(locateStack({ configFile: join(elsewhere, "Pulumi.contoso.yaml"), cwd: ROOT })).toEqual({
      projectFile: join(ROOT, "Pulumi.yaml"),
      stackFile: join(elsewhere, "Pulumi.contoso.yaml"),
      stackName: "contoso",
    });
    expect(locateStack({ configFile: "stacks/x.yaml", cwd: join(ROOT, "src") }).stackFile).toBe(join(ROOT, "src", "stacks", "x.yaml"));
  });

  it("honours stackConfigDir, Pulumi.yml, and org/project/stack names", () => {
    const withDir = project({ "Pulumi.yaml": `${PROJECT}stackConfigDir: stacks\n` });
    expect(locateStack({ stack: "acme/exchange-app-only/prod", cwd: withDir })).toMatchObject({ stackFile: join(withDir, "stacks", "Pulumi.prod.yaml") });
    const yml = mkdtempSync(join(tmpdir(), "exo-stackfile-"));
    folders.push(yml);
    writeFileSync(join(yml, "Pulumi.yml"), PROJECT);
    expect(locateStack({ stack: "dev", cwd: yml })).toEqual({ projectFile: join(yml, "Pulumi.yml"), stackFile: join(yml, "Pulumi.dev.yml"), stackName: "dev" });
  });

  it("no Pulumi.yaml from the current folder up: a StackFileError naming the folder", () => {
    const outside = mkdtempSync(join(tmpdir(), "exo-noproject-"));
    folders.push(outside);
    expect(() => locateStack({ configFile: join(ROOT, "Pulumi.dev.yaml"), cwd: outside })).toThrow(new StackFileError(`no Pulumi.yaml in ${outside} or any folder above it`, ""));
  });

  it.each(["--json", "dev stack", "../dev", ""])("refuses %j as a stack name (a usage error)", (stack) => {
    expect(() => locateStack({ stack, cwd: ROOT })).toThrow(StackNameError);
  });
});

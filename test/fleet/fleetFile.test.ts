/** Which stacks make a fleet: the fleet file's validation (each bad input, worded), stack names, globs. */
import path from "node:path";
import { ExoAppOnlyError } from "../../src/errors";
import { FleetFileError, parseFleet } from "../../src/fleet/fleetFile";
import { fleetId, globMatcher, resolveFleet, splitNames } from "../../src/fleet/fleet";
import { tempProject, type TempProject } from "./project";

const FILE = "/repo/fleet.yaml";

function issuesOf(document: unknown): FleetFileError {
  try {
    parseFleet(FILE, document);
  } catch (error) {
    expect(error).toBeInstanceOf(FleetFileError);
    return error as FleetFileError;
  }
  throw new Error("expected a FleetFileError");
}

describe("parseFleet: a valid file", () => {
  test("entries keep their name and configFile; configFile is read from the fleet file's folder", () => {
    expect(parseFleet(FILE, { stacks: [{ name: "contoso" }, { name: "org/fabrikam", configFile: "tenants/Pulumi.fabrikam.yaml" }] })).toEqual([
      { name: "contoso", baseDir: "/repo" },
      { name: "org/fabrikam", configFile: "tenants/Pulumi.fabrikam.yaml", baseDir: "/repo" },
    ]);
  });
});

describe("parseFleet: each bad input names the file, the entry, the field and the fix", () => {
  const cases: [string, unknown, string, RegExp][] = [
    ["an empty file", null, "stacks", /^is missing$/],
    ["a list at the top", [{ name: "a" }], "(top level)", /the file must be a map with a stacks: list, not a list/],
    ["stacks: is not a list", { stacks: "contoso" }, "stacks", /^must be a list, not the text "contoso"/],
    ["stacks: is empty", { stacks: [] }, "stacks", /^is empty$/],
    ["an unknown top-level key", { stacks: [{ name: "a" }], stack: [] }, "(top level)", /unknown field "stack"/],
    ["an entry that is a bare name", { stacks: ["contoso"] }, "stacks[0]", /must be a map with name:/],
    ["an entry without a name", { stacks: [{ name: "a" }, { configFile: "x.yaml" }] }, "stacks[1].name", /^is missing$/],
    ["a name that is a number", { stacks: [{ name: 2024 }] }, "stacks[0].name", /^must be text, not the number 2024$/],
    ["a name Pulumi refuses", { stacks: [{ name: "bad name!" }] }, "stacks[0].name", /^"bad name!" is not a stack name$/],
    ["an unknown field in an entry", { stacks: [{ name: "a", config: "x" }] }, "stacks[0]", /unknown field "config"/],
    ["an empty configFile", { stacks: [{ name: "a", configFile: "" }] }, "stacks[0].configFile", /^is empty$/],
    ["a configFile that is not text", { stacks: [{ name: "a", configFile: ["x"] }] }, "stacks[0].configFile", /^must be text \(a path\), not a list$/],
    ["a stack listed twice", { stacks: [{ name: "a" }, { name: "b" }, { name: "a" }] }, "stacks[2].name", /already listed at stacks\[0\]/],
  ];
  test.each(cases)("%s", (_label, document, where, message) => {
    const error = issuesOf(document);
    expect(error.code).toBe("ERR_FLEET_FILE");
    const issue = error.issues.find((i) => i.where === where);
    expect(issue).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(issue!.fix.length).toBeGreaterThan(10);
    expect(error.message).toContain(`${FILE}: ${where}: ${issue!.message}. Fix: ${issue!.fix}`);
  });

  test("every bad entry is reported at once, a line each", () => {
    const error = issuesOf({ stacks: [{ name: 1 }, { name: "ok" }, {}] });
    expect(error.issues.map((i) => i.where)).toEqual(["stacks[0].name", "stacks[2].name"]);
    expect(error.message.split("\n")).toHaveLength(2);
  });
});

describe("resolveFleet", () => {
  let project: TempProject;
  beforeEach(() => {
    project = tempProject(["tenant-a", "tenant-b", "other"]);
  });
  afterEach(() => project.cleanup());

  const usageOf = (fn: () => unknown): ExoAppOnlyError => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ExoAppOnlyError);
      return error as ExoAppOnlyError;
    }
    throw new Error("expected an error");
  };

  test("stack names: Pulumi.<name>.yaml beside Pulumi.yaml, found from a folder below the project", () => {
    const sub = path.dirname(project.write("deep/down/.keep", ""));
    const fleet = resolveFleet({ names: ["tenant-a", "other"], cwd: sub });
    expect(fleet.projectDir).toBe(project.dir);
    expect(fleet.stacks).toEqual([
      { name: "tenant-a", configFile: path.join(project.dir, "Pulumi.tenant-a.yaml"), explicitConfigFile: false },
      { name: "other", configFile: path.join(project.dir, "Pulumi.other.yaml"), explicitConfigFile: false },
    ]);
    expect(fleet.id).toBe(fleetId(["other", "tenant-a"]));
  });

  test("--glob matches whole stack names over the project's stack files, sorted", () => {
    expect(resolveFleet({ glob: "tenant-*", cwd: project.dir }).stacks.map((s) => s.name)).toEqual(["tenant-a", "tenant-b"]);
    expect(resolveFleet({ glob: "*", cwd: project.dir }).stacks.map((s) => s.name)).toEqual(["other", "tenant-a", "tenant-b"]);
    const none = usageOf(() => resolveFleet({ glob: "prod-*", cwd: project.dir }));
    expect(none.code).toBe("ERR_USAGE");
    expect(none.message).toMatch(/no stack matches --glob "prod-\*" .*found other, tenant-a, tenant-b/);
  });

  test("a fleet file: relative configFile paths from the file's folder; a missing stack is named, with its entry", () => {
    const config = project.write("tenants/eu/fabrikam.yaml", "config: {}\n");
    const fleetFile = project.write("fleets/prod.yaml", "stacks:\n  - name: tenant-a\n  - name: fabrikam\n    configFile: ../tenants/eu/fabrikam.yaml\n");
    const fleet = resolveFleet({ fleetFile, cwd: project.dir });
    expect(fleet.stacks).toEqual([
      { name: "tenant-a", configFile: path.join(project.dir, "Pulumi.tenant-a.yaml"), explicitConfigFile: false },
      { name: "fabrikam", configFile: config, explicitConfigFile: true },
    ]);

    const missing = project.write("fleets/missing.yaml", "stacks:\n  - name: tenant-a\n  - name: contoso\n");
    const error = usageOf(() => resolveFleet({ fleetFile: missing, cwd: project.dir }));
    expect(error.code).toBe("ERR_USAGE");
    expect(error.message).toBe(`stack contoso (${missing}: stacks[1]) does not exist: no Pulumi.contoso.yaml beside ${path.join(project.dir, "Pulumi.yaml")}`);
    expect(error.remedy).toMatch(/pulumi stack init contoso/);

    const badPath = project.write("fleets/badpath.yaml", "stacks:\n  - name: fabrikam\n    configFile: nowhere.yaml\n");
    expect(usageOf(() => resolveFleet({ fleetFile: badPath, cwd: project.dir })).message).toMatch(/stack fabrikam \(.*stacks\[0\]\.configFile\) does not exist: .*nowhere\.yaml is not a file/);
  });

  test("a fleet file that does not exist or is not YAML", () => {
    expect(usageOf(() => resolveFleet({ fleetFile: "nope.yaml", cwd: project.dir })).message).toBe(`${path.join(project.dir, "nope.yaml")}: (file): does not exist. Fix: Pass --fleet PATH to a YAML file with a stacks: list (see \`exo-app-only fleet --help\`).`);
    const bad = project.write("bad.yaml", "stacks: [\n");
    expect(usageOf(() => resolveFleet({ fleetFile: bad, cwd: project.dir })).message).toMatch(/bad\.yaml: \(file\): is not valid YAML/);
  });

  test("no source, two sources, a stack named twice, a name that is not one: usage errors", () => {
    expect(usageOf(() => resolveFleet({ cwd: project.dir })).message).toBe("no stacks given");
    // The example in the fix is the subcommand the user ran.
    expect(usageOf(() => resolveFleet({ cwd: project.dir, command: "audit" })).remedy).toContain("`fleet audit contoso fabrikam`");
    expect(usageOf(() => resolveFleet({ names: ["other"], glob: "*", cwd: project.dir })).message).toBe("choose one way to name the fleet, not stack names and --glob");
    expect(usageOf(() => resolveFleet({ names: ["other", "other"], cwd: project.dir })).message).toBe("stack other is named twice");
    expect(usageOf(() => resolveFleet({ names: ["no good"], cwd: project.dir })).message).toBe('"no good" is not a stack name');
    expect(usageOf(() => resolveFleet({ names: ["ghost"], cwd: project.dir })).message).toMatch(/^stack ghost does not exist: no Pulumi\.ghost\.yaml beside /);
  });

  test("outside any project: the project file error", () => {
    const error = usageOf(() => resolveFleet({ names: ["a"], cwd: "/" }));
    expect(error.code).toBe("ERR_STACK_FILE");
  });
});

test("globMatcher: * and ? over whole names; regex characters are literal", () => {
  expect(globMatcher("tenant-*")("tenant-a")).toBe(true);
  expect(globMatcher("tenant-*")("xtenant-a")).toBe(false);
  expect(globMatcher("t?")("t1")).toBe(true);
  expect(globMatcher("t?")("t12")).toBe(false);
  expect(globMatcher("a.b")("aXb")).toBe(false);
});

test("splitNames: commas and positional names, blanks dropped", () => {
  expect(splitNames(["a,b", " c ", "", "d,,"])).toEqual(["a", "b", "c", "d"]);
});

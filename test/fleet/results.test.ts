/** The results file: written atomically, read back for --only-failed, and refused when it is another fleet's. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ExoAppOnlyError } from "../../src/errors";
import { fleetId } from "../../src/fleet/fleet";
import { mergeResults, readResults, stacksToRerun, writeResults, type ResultsFile } from "../../src/fleet/results";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "exo-results-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NAMES = ["a", "b", "c", "d", "e"];
const fleet = (names: readonly string[] = NAMES) => ({ id: fleetId(names), stacks: names.map((name) => ({ name })) });

function file(overrides: Partial<ResultsFile> = {}): ResultsFile {
  return {
    version: 1,
    fleetId: fleetId(NAMES),
    command: "up",
    stacks: NAMES,
    startedAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:01:00.000Z",
    finished: true,
    results: [
      { stack: "a", status: "succeeded", durationMs: 10 },
      { stack: "b", status: "failed", phase: "update", durationMs: 10, error: { code: "ERR_UPDATE_FAILED", message: "m", remedy: "r" } },
      { stack: "c", status: "locked", phase: "update", durationMs: 10, error: { code: "ERR_STACK_LOCKED", message: "m", remedy: "r" } },
      { stack: "d", status: "cancelled", phase: "verify", durationMs: 10 },
      { stack: "e", status: "not-started" },
    ],
    ...overrides,
  };
}

const usageOf = (fn: () => unknown): ExoAppOnlyError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ExoAppOnlyError);
    expect((error as ExoAppOnlyError).code).toBe("ERR_USAGE");
    return error as ExoAppOnlyError;
  }
  throw new Error("expected a usage error");
};

test("written into a new folder, read back as written; no temp file left behind", () => {
  const target = path.join(dir, "deep", ".exo-fleet", "results.json");
  writeResults(target, file());
  expect(readResults(target)).toEqual(file());
  expect(readdirSync(path.dirname(target))).toEqual(["results.json"]);
  expect(readFileSync(target, "utf8").endsWith("}\n")).toBe(true);
});

test("--only-failed reruns every stack that did not succeed, in fleet order", () => {
  const target = path.join(dir, "r.json");
  expect(stacksToRerun(file(), target, fleet(), "up")).toEqual(["b", "c", "d", "e"]);
  // The fleet's order wins over the file's.
  expect(stacksToRerun(file(), target, fleet(["e", "d", "c", "b", "a"]), "up")).toEqual(["e", "d", "c", "b"]);
});

test("a results file of another fleet is refused, naming the stacks that differ", () => {
  const target = path.join(dir, "r.json");
  const other = fleet(["a", "b", "x"]);
  const error = usageOf(() => stacksToRerun(file(), target, other, "up"));
  expect(error.message).toBe(`--only-failed: ${target} is from another fleet (fleet id ${fleetId(NAMES)}, this one is ${other.id}; only in the results file: c, d, e; only in this fleet: x)`);
  expect(error.remedy).toMatch(/same stacks .* --results PATH/);
});

test("a results file of another command is refused", () => {
  const error = usageOf(() => stacksToRerun(file({ command: "preview" }), "r.json", fleet(), "up"));
  expect(error.message).toBe("--only-failed: r.json records `fleet preview`, not `fleet up`");
});

test("no results file, or not one: usage errors", () => {
  expect(usageOf(() => readResults(path.join(dir, "none.json"))).message).toBe(`--only-failed: no results file at ${path.join(dir, "none.json")}`);
  const junk = path.join(dir, "junk.json");
  writeFileSync(junk, JSON.stringify({ version: 2 }));
  expect(usageOf(() => readResults(junk)).message).toBe(`--only-failed: ${junk} is not a fleet results file`);
  writeFileSync(junk, "{not json");
  expect(usageOf(() => readResults(junk)).message).toBe(`--only-failed: ${junk} is not a fleet results file`);
});

test("mergeResults: the rerun stacks' new results replace the old, in fleet order; unknown ones are not-started", () => {
  const merged = mergeResults(["a", "b", "z"], file().results, [{ stack: "b", status: "succeeded", durationMs: 1 }]);
  expect(merged).toEqual([
    { stack: "a", status: "succeeded", durationMs: 10 },
    { stack: "b", status: "succeeded", durationMs: 1 },
    { stack: "z", status: "not-started" },
  ]);
});

/** Which driver the command uses: the Automation API one, unless the test-only variable names a module. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TEST_DRIVER_ENV, loadDriver } from "../../src/fleet/loadDriver";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "exo-driver-"));
  writeFileSync(path.join(dir, "good.js"), "exports.createFleetDriver = (context) => ({ context, up: 'fake' });\n");
  writeFileSync(path.join(dir, "bad.js"), "exports.somethingElse = 1;\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("without the variable: the Automation API driver (its lazy loading is tested in automationDriver.test.ts)", () => {
  const driver = loadDriver("/project", {});
  expect(Object.keys(driver).sort()).toEqual(["destroy", "outputs", "preview", "refresh", "up"]);
});

test("the test-only variable: the module's createFleetDriver, called with the project folder", () => {
  expect(loadDriver("/project", { [TEST_DRIVER_ENV]: path.join(dir, "good.js") })).toEqual({ context: { projectDir: "/project" }, up: "fake" });
});

test("a relative path or a module without createFleetDriver is refused", () => {
  expect(() => loadDriver("/project", { [TEST_DRIVER_ENV]: "good.js" })).toThrow(`${TEST_DRIVER_ENV} must be an absolute path to a module`);
  expect(() => loadDriver("/project", { [TEST_DRIVER_ENV]: path.join(dir, "bad.js") })).toThrow(/exports no createFleetDriver/);
});

/** `fleet matrix`: the fleet as a GitHub Actions matrix. */
import path from "node:path";
import { ExoAppOnlyError } from "../../src/errors";
import { resolveFleet } from "../../src/fleet/fleet";
import { MAX_MATRIX_JOBS, fleetMatrix } from "../../src/fleet/matrix";
import { tempProject } from "./project";

test("one entry a stack: its name and its config file relative to the project, /-separated", () => {
  const project = tempProject(["contoso"]);
  try {
    project.write("tenants/eu/fabrikam.yaml", "config: {}\n");
    const fleetFile = project.write("fleet.yaml", "stacks:\n  - name: contoso\n  - name: org/fabrikam\n    configFile: tenants/eu/fabrikam.yaml\n");
    const matrix = fleetMatrix(resolveFleet({ fleetFile, cwd: project.dir }));
    expect(JSON.stringify(matrix)).toBe('{"include":[{"stack":"contoso","configFile":"Pulumi.contoso.yaml"},{"stack":"org/fabrikam","configFile":"tenants/eu/fabrikam.yaml"}]}');
  } finally {
    project.cleanup();
  }
});

test(`more than ${MAX_MATRIX_JOBS} stacks: refused (GitHub's matrix limit), with the fix`, () => {
  const stacks = Array.from({ length: MAX_MATRIX_JOBS + 1 }, (_, i) => ({ name: `t${i}`, configFile: path.join("/p", `Pulumi.t${i}.yaml`), explicitConfigFile: false }));
  expect(fleetMatrix({ projectDir: "/p", stacks: stacks.slice(0, MAX_MATRIX_JOBS) }).include).toHaveLength(MAX_MATRIX_JOBS);
  let error: unknown;
  try {
    fleetMatrix({ projectDir: "/p", stacks });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ExoAppOnlyError);
  expect((error as ExoAppOnlyError).message).toBe("the fleet has 257 stacks; a GitHub Actions matrix holds at most 256 jobs");
  expect((error as ExoAppOnlyError).remedy).toMatch(/Split the fleet/);
});

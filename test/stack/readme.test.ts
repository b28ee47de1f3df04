/** The README is the config and output reference: it must name everything the program reads and exports. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_KEY_NAMES } from "../../src/config/keys";
import { AZUREAD_SETTINGS } from "../../src/config/provider";
import { evaluate } from "../support/evaluate";

const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");

describe("README", () => {
  it.each(CONFIG_KEY_NAMES)("documents config key %s", (key) => {
    expect(readme).toContain(`| \`${key}\` |`);
  });

  it.each(AZUREAD_SETTINGS)("documents the azuread sign-in setting %s", (key) => {
    expect(readme).toContain(`\`${key}\``);
  });

  it("documents every stack output", async () => {
    const run = await evaluate({ clientSecret: "true", federatedCredentials: [{ kind: "github", repository: "a/b", branch: "main" }] });
    const undocumented = Object.keys(run.outputs).filter((key) => !readme.includes(`\`${key}\``));
    expect(undocumented).toEqual([]);
  });

  it("keeps the two set-up commands", () => {
    expect(readme).toMatch(/```sh\nnpm ci\nnpm test\n```/);
  });
});

import Ajv2020 from "ajv/dist/2020";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CONFIG_KEYS } from "../../src/config/keys";
import { parseStackConfig } from "../../src/config/parseStack";
import { readStackConfig } from "../../src/plan/stackFile";

const ROOT = join(__dirname, "..", "..");
const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"));

describe("Pulumi.yaml", () => {
  it("is valid against the schema the Pulumi CLI checks", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "pulumi-project.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    expect(validate(project) ? [] : validate.errors).toEqual([]);
    expect(project).toMatchObject({ name: "exchange-app-only", runtime: { name: "nodejs" } });
  });

  it("runs the check and the Exchange RBAC resources through this repository's plugin folder (plugins.providers)", () => {
    expect(project.plugins).toEqual({ providers: [{ name: "exchange-app-only", path: "./provider" }] });
  });

  it("declares every scalar key the program reads, with the program's type, default and description", () => {
    const declared = Object.entries(CONFIG_KEYS).filter(([, spec]) => spec.declared);
    expect(Object.keys(project.config).sort()).toEqual(declared.map(([key]) => key).sort());
    for (const [key, spec] of declared) {
      const entry = project.config[key];
      expect({ key, type: entry.type, default: entry.default, description: entry.description }).toEqual({
        key,
        type: spec.type,
        default: "default" in spec ? spec.default : undefined,
        description: spec.description,
      });
    }
  });
});

describe("every stack file the repository ships", () => {
  const stackFiles = readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

  it("exists (at least the dev example)", () => {
    expect(stackFiles).toContain("Pulumi.dev.yaml");
  });

  it.each(stackFiles)("%s is accepted by the program", (file) => {
    const config = readStackConfig(join(ROOT, "Pulumi.yaml"), join(ROOT, file));
    expect(() => parseStackConfig(config)).not.toThrow();
  });
});

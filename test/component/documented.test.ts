/**
 * The component API page keeps up with the code: the args it lists are the component's, each a documented config
 * key; the outputs it lists are the component's output properties, each a documented stack output.
 */
import { EXCHANGE_APP_ONLY_ARG_KEYS } from "../../components/exchangeAppOnly";
import { outputProperties } from "../../components/outputProperties";
import { CONFIG_KEY_NAMES } from "../../src/config/keys";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readDoc, ROOT, section } from "../support/docs";

const page = readDoc("docs/component.md");

/** The backticked names between `<!-- name -->` and `<!-- /args -->` or `<!-- /outputs -->`. */
function listed(marker: string): string[] {
  const block = new RegExp(`<!-- ${marker} -->([\\s\\S]*?)<!-- /`).exec(page);
  if (!block) throw new Error(`docs/component.md has no <!-- ${marker} --> list`);
  return [...block[1]!.matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((m) => m[1]!);
}

describe("docs/component.md", () => {
  it("lists exactly ExchangeAppOnly's args, each a config key the config reference documents", () => {
    expect(listed("args:ExchangeAppOnly").sort()).toEqual([...EXCHANGE_APP_ONLY_ARG_KEYS].sort());
    const reference = section("Config reference");
    for (const key of EXCHANGE_APP_ONLY_ARG_KEYS) {
      expect(CONFIG_KEY_NAMES).toContain(key);
      expect(reference).toContain(`| \`${key}\` |`);
    }
  });

  it("lists exactly ExchangeAppOnly's output properties, each a stack output the outputs page documents (check aside)", () => {
    const properties = Object.keys(outputProperties({} as never, undefined));
    expect(listed("outputs:ExchangeAppOnly").sort()).toEqual(properties.sort());
    const outputs = section("Outputs");
    for (const name of properties.filter((p) => p !== "check")) expect(outputs).toContain(`\`${name}\``);
  });

  it("shows examples/typescript/index.ts as it is (test/package/consumer.test.ts compiles and runs that file)", () => {
    const example = /## Example\n[\s\S]*?```typescript\n([\s\S]*?)```/.exec(page)![1];
    expect(example).toBe(readFileSync(join(ROOT, "examples", "typescript", "index.ts"), "utf8"));
  });
});

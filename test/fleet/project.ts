/** A throwaway Pulumi project folder: Pulumi.yaml and one Pulumi.<stack>.yaml a stack. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TempProject {
  readonly dir: string;
  write(relative: string, text: string): string;
  cleanup(): void;
}

export function tempProject(stacks: readonly string[] = [], projectYaml = "name: exchange-app-only\nruntime: nodejs\n"): TempProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), "exo-fleet-"));
  const write = (relative: string, text: string): string => {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  write("Pulumi.yaml", projectYaml);
  for (const stack of stacks) write(`Pulumi.${stack}.yaml`, `config:\n  exchange-app-only:tenantId: 6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7\n`);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

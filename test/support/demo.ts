/** Runs the emulator demo in-process, collecting what it prints, and checks it never prints a key, a certificate or a token. */
import path from "node:path";
import { runDemo, type DemoOptions } from "../emulator/demo";

export const ROOT = path.resolve(__dirname, "../..");

export async function demo(o: DemoOptions) {
  const lines: string[] = [];
  const result = await runDemo({ cwd: ROOT, out: (l) => lines.push(l), err: (l) => lines.push(l), ...o });
  const text = lines.join("\n");
  // Never a key, a certificate body or a token in what the demo prints.
  expect(text).not.toMatch(/-----BEGIN|eyJ[A-Za-z0-9_-]{10,}\./);
  return { ...result, text };
}

// Parses and validates workflow files with GitHub's own parser, @actions/workflow-parser, and prints one JSON
// array on stdout: [{ file, errors: [message], jobs: [job id] }]. Run by workflows.test.ts as a child process
// (the parser is ESM and needs jsonImportHook.mjs, which jest's CommonJS runtime cannot register).
// Usage: node test/gitops/parseWorkflows.mjs <workflow.yml>...
import { register } from "node:module";
import { readFileSync } from "node:fs";
import { basename } from "node:path";

register("./jsonImportHook.mjs", import.meta.url);
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import("@actions/workflow-parser");

const results = [];
for (const file of process.argv.slice(2)) {
  const parsed = parseWorkflow({ name: basename(file), content: readFileSync(file, "utf8") }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  let jobs = [];
  if (parsed.value !== undefined) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const e of template.errors ?? []) if (!errors.includes(e.Message)) errors.push(e.Message);
    jobs = (template.jobs ?? []).map((j) => j.id?.value ?? String(j.id));
  } else if (errors.length === 0) {
    errors.push("the parser returned no workflow");
  }
  results.push({ file, errors, jobs });
}
process.stdout.write(`${JSON.stringify(results)}\n`);

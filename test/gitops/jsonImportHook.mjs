// A Node module hook: @actions/workflow-parser (ESM) imports its JSON schema without `with { type: "json" }`,
// which plain Node refuses. Registered by parseWorkflows.mjs (`module.register`), it adds the attribute for .json.
export async function load(url, context, nextLoad) {
  if (url.endsWith(".json") && context.importAttributes?.type !== "json") {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
  }
  return nextLoad(url, context);
}

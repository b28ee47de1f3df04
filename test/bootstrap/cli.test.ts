/**
 * bootstrap/ loads as the Pulumi CLI's Node.js host loads a TypeScript program: from its own folder, with
 * @pulumi/pulumi's TypeScript set-up (its tsutils: the repository's typescript, its ts-node or the vendored one,
 * type-checking on, the folder's tsconfig.json), resolving every package from the repository's node_modules.
 * No engine runs here: loading proves it compiles and resolves; the mocks tests prove what it declares.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const BOOTSTRAP = join(__dirname, "..", "..", "bootstrap");

const LOADER = `
const path = require("path");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd()] }));
const tsutils = require(path.join(pulumiDir, "tsutils"));
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
require(tsnodeRequire).register({
  typeCheck: true,
  skipProject: false,
  compiler: typescriptRequire,
  compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...tsutils.loadTypeScriptCompilerOptions("tsconfig.json") },
});
const program = require(path.join(process.cwd(), "index.ts"));
process.stdout.write(typeof program);
`;

describe("bootstrap/ as the Pulumi CLI loads it", () => {
  it("compiles with type-checking from its own folder and exports the program function", () => {
    const run = spawnSync(process.execPath, ["-e", LOADER], { cwd: BOOTSTRAP, encoding: "utf8" });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: "function", stderr: "" });
  });
});

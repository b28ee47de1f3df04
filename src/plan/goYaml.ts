/**
 * YAML read the way the Pulumi CLI reads Pulumi.yaml and Pulumi.<stack>.yaml: go-yaml v3 decoding into `any`.
 * The `yaml` package parses; only which plain scalars are booleans, numbers or null follows go-yaml v3, whose rules
 * differ from YAML 1.2's core schema (the package's default) in places a stack file can hit:
 *
 * | plain scalar                 | go-yaml v3 (and so the program)   | yaml core schema |
 * |------------------------------|-----------------------------------|------------------|
 * | `true` `True` `TRUE`         | boolean                           | boolean          |
 * | `yes` `on` `y` `off` `no`    | string                            | string           |
 * | `017`                        | 15 (Go's leading-zero octal)      | 17               |
 * | `0b101`, `1_000`, `-0x1F`    | 5, 1000, -31                      | strings          |
 * | `9007199254740993`           | exact (int64)                     | rounded          |
 *
 * Merge keys (`<<: *anchor`) are resolved, as go-yaml v3 does. Integers come back as `bigint` (Go's int64 is exact).
 */
import { parse, type ScalarTag } from "yaml";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** go-yaml's `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's `strconv.ParseInt(s, 0, 64)`: sign, then a 0x / 0o / 0b / leading-0 (octal) prefix or decimal digits. */
function parseGoInt(text: string): bigint | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits] = match as unknown as [string, string, string];
  const prefixed = /^0[0-7]/.test(digits) ? `0o${digits.slice(1)}` : digits.replace(/^0([XOB])/, (_, p: string) => `0${p.toLowerCase()}`);
  const magnitude = BigInt(prefixed);
  const value = sign === "-" ? -magnitude : magnitude;
  return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
}

/** go-yaml v3 `resolve` for a plain scalar starting with a digit or a sign: int, else float, else string. */
function resolveNumber(text: string): bigint | number | string {
  const plain = text.replace(/_/g, "");
  const int = parseGoInt(plain);
  if (int !== undefined) return int;
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return text;
}

const TAG = "tag:yaml.org,2002:";

/** The plain scalars go-yaml v3 does not read as strings. Everything else is one (failsafe schema). */
const GO_YAML_SCALARS: ScalarTag[] = [
  { tag: `${TAG}null`, default: true, test: /^(?:~|null|Null|NULL)?$/, resolve: () => null },
  { tag: `${TAG}bool`, default: true, test: /^(?:true|True|TRUE|false|False|FALSE)$/, resolve: (s) => s[0] === "t" || s[0] === "T" },
  // .inf and .nan: kept as numbers so the reader can refuse them as the CLI does (JSON has no such numbers).
  { tag: `${TAG}float`, default: true, test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/, resolve: (s) => (/nan/i.test(s) ? Number.NaN : s[0] === "-" ? -Infinity : Infinity) },
  // A leading dot: Go's ParseFloat on the text as written.
  { tag: `${TAG}float`, default: true, test: /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/, resolve: (s) => Number(s) },
  { tag: `${TAG}int`, default: true, test: /^[-+0-9]/, resolve: resolveNumber },
];

/** Parses YAML text as go-yaml v3 decodes it into `any`. Throws the `yaml` package's errors on bad syntax. */
export function parseGoYaml(text: string): unknown {
  return parse(text, { schema: "failsafe", customTags: GO_YAML_SCALARS, merge: true });
}

/**
 * JSON as Go's encoding/json writes the decoded value (integers exact), which is how the engine hands a list or an
 * object to the program. Non-finite numbers have no JSON form: `onNonFinite` says what to do.
 */
export function toEngineJson(value: unknown, onNonFinite: (n: number) => never): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : onNonFinite(value);
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => toEngineJson(v, onNonFinite)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${toEngineJson(v, onNonFinite)}`).join(",")}}`;
}

/**
 * A usage error names what was wrong: an argument a command does not take is named for what it looks like (a token,
 * a GUID, a path, a stack name, a value after a flag that takes none) with where it goes instead; exit 2, and with
 * --json one object. A word that may be a secret is never echoed: its shape is named instead.
 */
import { expectNothingSecret, runCli, type CliResult } from "./run";

const JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSIsInRpZCI6IngifQ.c2lnbmF0dXJlLXZhbHVl";
const CLIENT_SECRET = "Abc8Q~averylongclientsecretvalue_0123456789";
const OLD_SECRET = "q0Zk8J3pXb5mR7tV2wY9aC4eG6iK1nP3sU5xZ7bD9fH=";
const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
const TENANT = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const CLIENT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** Exit 2, `error: <message>` on stderr with the remedy under it; with --json the same as one object on stdout. */
async function expectUsage(args: readonly string[], message: RegExp, remedy: RegExp, secrets: readonly string[] = []): Promise<void> {
  const text = await runCli(args, { stdin: "" });
  expect(text.code).toBe(2);
  expect(text.stderr).toMatch(new RegExp(`^error: ${message.source}$`, "m"));
  expect(text.stderr).toMatch(remedy);
  expect(text.stdout).toBe("");
  expectNothingSecret(text, secrets);
  const json: CliResult = await runCli([...args, "--json"], { stdin: "" });
  expect(json.code).toBe(2);
  const out = JSON.parse(json.stdout);
  expect(out).toMatchObject({ ok: false, error: { code: "ERR_USAGE" } });
  expect(out.error.message).toMatch(new RegExp(`^${message.source}$`));
  expect(out.error.remedy).toMatch(remedy);
  expectNothingSecret(json, secrets);
}

describe("inspect-token <token>: points to stdin or --token-env, never echoes the token", () => {
  test.each([
    ["an access token", JWT, /inspect-token takes no arguments, and got a JWT, such as an access token \(\d+ characters, not shown\)/],
    ["a token cut short", JWT.slice(0, 30), /inspect-token takes no arguments, and got the start of what looks like a JWT \(30 characters, not shown\)/],
    ["a client secret", CLIENT_SECRET, /inspect-token takes no arguments, and got what looks like a client secret \(43 characters, not shown\)/],
    ["an older, base64 client secret", OLD_SECRET, /inspect-token takes no arguments, and got what looks like a client secret \(44 characters, not shown\)/],
    ["a PEM private key", PEM, /inspect-token takes no arguments, and got a PEM private key \(\d+ characters, not shown\)/],
  ])("%s", async (_name, secret, message) => {
    await expectUsage(["inspect-token", secret], message, /stdin .*--token-env NAME/, [secret, "MIIEvQIBADAN"]);
  });

  test("a token after --json (a switch): said to take no value, the token still not shown", async () => {
    const r = await runCli(["inspect-token", "--json", JWT], { stdin: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --json takes no value, and a JWT, such as an access token \(\d+ characters, not shown\) followed it$/m);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "ERR_USAGE", remedy: "Write --json alone: it is on when present. inspect-token takes no arguments." });
    expectNothingSecret(r, [JWT]);
  });

  test.each([
    [TENANT, /inspect-token takes no arguments, and got the GUID "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"/, /--tenant-id GUID or --client-id GUID/],
    ["token.txt", /inspect-token takes no arguments, and got the path "token\.txt"/, /exo-app-only inspect-token < token\.txt/],
    ["contoso.onmicrosoft.com", /inspect-token takes no arguments, and got "contoso\.onmicrosoft\.com"/, /--tenant-id/],
  ])("%s: named, with the flag it belongs to", async (value, message, remedy) => {
    await expectUsage(["inspect-token", value], message, remedy);
  });

  test("--token-env given the token itself: never echoed", async () => {
    await expectUsage(["inspect-token", "--token-env", JWT], /--token-env \(\d+ characters, not shown\) is not a variable's name: it looks like a value, perhaps the secret itself/, /NAME of the environment variable/, [JWT]);
  });

  test("an unknown option carrying a token: commander's message masks it", async () => {
    await expectUsage(["inspect-token", `--token=${JWT}`], /unknown option '--token=…' \(a JWT, such as an access token \(\d+ characters, not shown\)\)/, /--help/, [JWT]);
  });
});

describe("plan: a value after a switch, a stack or a path given bare", () => {
  test.each([
    [["--stack", "dev", "--policy", "./pack"], /--policy takes no value, and the path "\.\/pack" followed it/, /Write --policy alone: it is on when present\. plan takes no arguments\./],
    [["--stack", "dev", "--policy=./pack"], /--policy takes no value, and the path "\.\/pack" was given to it/, /Write --policy alone/],
    [["--policy", "policy/"], /--policy takes no value, and the path "policy\/" followed it/, /Write --policy alone/],
    [["dev"], /plan takes no arguments, and got "dev"/, /--stack NAME/],
    [["stacks/Pulumi.contoso.yaml"], /plan takes no arguments, and got the path "stacks\/Pulumi\.contoso\.yaml"/, /--config-file PATH/],
    [["--stack", "dev", "extra words"], /plan takes no arguments, and got "extra words"/, /--stack NAME or --config-file PATH/],
  ])("%j", async (args, message, remedy) => {
    await expectUsage(["plan", ...args], message, remedy);
  });

  test("a secret given to plan: never echoed", async () => {
    await expectUsage(["plan", "--stack", "dev", CLIENT_SECRET], /plan takes no arguments, and got what looks like a client secret \(43 characters, not shown\)/, /needs no secret/, [CLIENT_SECRET]);
  });
});

describe("verify: every stray word named, with the flag it belongs to", () => {
  const T = ["--tenant-id", TENANT, "--client-id", CLIENT];
  test.each([
    [[...T, CLIENT_SECRET], /verify takes no arguments, and got what looks like a client secret \(43 characters, not shown\)/, /--client-secret-env NAME/],
    [[...T, "--client-secret-env", "S", JWT], /verify takes no arguments, and got a JWT, such as an access token \(\d+ characters, not shown\)/, /--federated-token-file PATH/],
    [["--managed-identity", CLIENT, TENANT], /verify takes no arguments, and got the GUID "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"/, /--tenant-id GUID, --client-id GUID or --managed-identity CLIENT_ID/],
    [["contoso.onmicrosoft.com"], /verify takes no arguments, and got "contoso\.onmicrosoft\.com"/, /--tenant-id DOMAIN/],
    [[...T, "app.pem"], /verify takes no arguments, and got the path "app\.pem"/, /--certificate-file PEM/],
    [[...T, "contoso-exo-kv/exo-app-certificate"], /verify takes no arguments, and got "contoso-exo-kv\/exo-app-certificate"/, /--key-vault-secret VAULT\/NAME/],
    [["dev"], /verify takes no arguments, and got "dev"/, /--stack NAME/],
    [[...T, "--no-probe", "false"], /--no-probe takes no value, and "false" followed it/, /Write --no-probe alone/],
    [["--stack", "dev", "--json=yes"], /--json takes no value, and "yes" was given to it/, /Write --json alone/],
  ])("%j", async (args, message, remedy) => {
    await expectUsage(["verify", ...args], message, remedy, [CLIENT_SECRET, JWT]);
  });
});

test("--help still exits 0, and a command's examples still parse (no stray-argument error)", async () => {
  for (const args of [["plan", "--help"], ["verify", "--help"], ["inspect-token", "--help"], ["fleet", "up", "--help"]]) {
    const r = await runCli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: exo-app-only /);
  }
});

/** What people read: the closing table, plain progress lines, the live view's redraws. */
import { plainProgress, ttyProgress } from "../../src/fleet/progress";
import type { StackResult } from "../../src/fleet/results";
import { closingLines, renderTable, toJson } from "../../src/fleet/summary";

const RESULTS: StackResult[] = [
  { stack: "contoso", status: "succeeded", durationMs: 12_300, changes: { create: 2, same: 5 }, tenants: [{ tenant: "6f1d2c3b", ok: true, durationMs: 900 }] },
  {
    stack: "msp",
    status: "failed",
    phase: "verify",
    durationMs: 20_000,
    error: { code: "ERR_VERIFY_FAILED", message: "1 of 2 tenants failed", remedy: "grant consent" },
    tenants: [
      { tenant: "a", ok: true, durationMs: 800 },
      { tenant: "b", ok: false, durationMs: 15_000, error: { code: "ERR_CHECK_FAILED", message: "token.role: no roles", remedy: "Grant admin consent." } },
    ],
  },
  { stack: "locked-one", status: "locked", phase: "update", durationMs: 1_000, error: { code: "ERR_STACK_LOCKED", message: "stack locked-one is locked by another update", remedy: "Wait." } },
  { stack: "later", status: "not-started" },
];

test("the table: a row a tenant with its stack's duration (a stack without tenants gets one row), the failure and its fix under it", () => {
  expect(renderTable(RESULTS)).toBe(
    [
      "STACK       TENANT    RESULT       DURATION  DETAIL",
      "contoso     6f1d2c3b  ok           12.3 s    create 2, same 5",
      "msp         a         ok           20.0 s    ",
      "msp         b         FAILED       20.0 s    check: token.role: no roles",
      "                                             fix: Grant admin consent.",
      "locked-one  -         LOCKED       1.0 s     stack locked-one is locked by another update",
      "                                             fix: Wait.",
      "later       -         not started  -",
      "",
    ]
      .map((l) => l.trimEnd())
      .join("\n"),
  );
});

test("closing lines: counts, where the results are, and the resume command when something did not succeed", () => {
  const summary = { command: "up" as const, fleetId: "f", resultsFile: ".exo-fleet/results.json", concurrency: 4, results: RESULTS, interrupted: false };
  expect(closingLines(summary, "exo-app-only fleet up --glob 'tenant-*' --only-failed")).toBe(
    "fleet up: 1 succeeded, 1 failed, 1 locked, 1 not-started · results in .exo-fleet/results.json\nTo rerun what did not succeed: exo-app-only fleet up --glob 'tenant-*' --only-failed\n",
  );
  const ok = { ...summary, results: [RESULTS[0]!] };
  expect(closingLines(ok, "x")).toBe("fleet up: 1 succeeded · results in .exo-fleet/results.json\n");
  expect(toJson(ok)).toMatchObject({ ok: true, counts: { succeeded: 1, failed: 0 } });
  expect(toJson({ ...ok, interrupted: true })).toMatchObject({ ok: false, interrupted: true });
});

test("plain progress: a line an event, with the count", () => {
  const lines: string[] = [];
  const p = plainProgress({ write: (t: string) => lines.push(t) }, "up", 4);
  p.start("contoso");
  p.verify("contoso");
  p.settled(RESULTS[0]!, [RESULTS[0]!, { stack: "x", status: "running" }]);
  p.settled(RESULTS[2]!, [RESULTS[0]!, RESULTS[2]!]);
  expect(lines.join("")).toBe(
    [
      "contoso: up started",
      "contoso: checking its tenants",
      "[1/4] contoso: succeeded in 12.3 s: create 2, same 5",
      "[2/4] locked-one: LOCKED in 1.0 s: stack locked-one is locked by another update",
      "",
    ].join("\n"),
  );
});

test("terminal progress: running stacks at the bottom, erased and redrawn; settled lines stay; lines fit the width", () => {
  let out = "";
  let clock = 0;
  const p = ttyProgress({ write: (t: string) => (out += t), columns: 40 }, "up", 2, () => clock);
  p.start("contoso");
  clock = 2_000;
  p.start("fabrikam-with-a-very-long-stack-name-indeed");
  p.settled(RESULTS[0]!, [RESULTS[0]!, { stack: "fabrikam-with-a-very-long-stack-name-indeed", status: "running" }]);
  p.close();
  // Each redraw first erases what the one before drew (2 lines, then 3), then the last erases itself on close.
  expect(out).toContain("\x1b[2A\r\x1b[J");
  expect(out).toContain("\x1b[3A\r\x1b[J");
  expect(out).toContain("[1/2] contoso: succeeded in 12.3 s: cr…\n");
  expect(out).toContain("  contoso  up · 2.0 s\n");
  for (const line of out.replace(/\x1b\[[0-9]*[A-Za-z]|\r/g, "").split("\n")) expect(line.length).toBeLessThanOrEqual(39);
});

test("terminal progress: at most 10 running stacks by name, the rest counted, so the view fits a terminal", () => {
  let out = "";
  const p = ttyProgress({ write: (t: string) => (out += t), columns: 80 }, "up", 32, () => 0);
  for (let i = 0; i < 32; i++) p.start(`s${i}`);
  const lastDraw = out.slice(out.lastIndexOf("\x1b[J") + 3);
  p.close();
  expect(lastDraw.split("\n").filter(Boolean)).toEqual([...Array.from({ length: 10 }, (_, i) => `  s${i}  up · 0 ms`), "  … and 22 more", "0/32 settled · 32 running"]);
});

/** `npm run demo -- --stack reporting-example`: a reporting app with no directory role, only Exchange RBAC. */
import { demo } from "../support/demo";

test("the reporting stack (role: none, View-Only Configuration) passes --probe-cmdlet Get-AcceptedDomain and is refused Get-Mailbox with the fix", async () => {
  const r = await demo({ stack: "reporting-example" });
  // The documented path: the role is held through the stack's own role group, not by a direct assignment.
  expect(r.text).toMatch(/Least privilege: the app holds 0 directory role\(s\); in Exchange: "View-Only Configuration", as a member of the role group "exo-app-only [0-9a-f-]{36}"\./);
  expect(r.report?.ok).toBe(true);
  expect(r.report?.probe?.cmdlet).toBe("Get-AcceptedDomain");
  const refused = r.refused!;
  expect(refused.ok).toBe(false);
  expect(refused.attempts).toBe(1);
  const probe = refused.checks.find((c) => c.id === "exchange.invoke")!;
  expect(probe.detail).toContain("the app may not run Get-Mailbox");
  expect(probe.remedy).toContain('exchange-app-only:exchangeRoles: [{ role: "View-Only Recipients" }]');
  expect(r.text).toContain("As least privilege intends: the app may run Get-AcceptedDomain and may not run Get-Mailbox");
  expect(r.exitCode).toBe(0);
});

test("--probe-cmdlet on the dev stack (Exchange Administrator): Get-Mailbox passes", async () => {
  const r = await demo({ probeCmdlet: "Get-Mailbox" });
  expect(r.exitCode).toBe(0);
  expect(r.report?.checks.find((c) => c.id === "exchange.invoke")?.detail).toMatch(/^Get-Mailbox answered 200: the app may run Get-Mailbox$/);
});

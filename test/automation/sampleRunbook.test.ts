/**
 * The Automation account's sample runbook and its schedule (issue 9): the runbook connects with the account's
 * managed identity exactly as the stack's connect output says, Automation fetches its text once through a private,
 * read-only, expiring link whose hash it checks, and a schedule starts it no earlier than Azure allows.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { firstRun, isTimeZone, utcOffset } from "../../src/automation/schedule";
import { runbookStorageAccountName, sampleRunbook } from "../../src/automation/sampleRunbook";
import { ConfigError } from "../../src/errors";
import { CLOUDS } from "../../src/facts";
import { evaluate, T } from "../support/evaluate";
import { TENANT_ID } from "../support/stackConfig";

const ACCOUNT = { kind: "automationAccount", name: "exo-automation", resourceGroup: "rg-exchange", location: "westeurope", moduleVersion: "3.7.1" };

interface RunbookOutputs {
  connectExchangeOnline: { managedIdentity: string };
  runbook?: { name: string; automationAccount: string; resourceGroup: string; schedule?: string; start: string };
}

describe("the sample runbook of an Automation account", () => {
  it("is a PowerShell 7.2 runbook in the account, published from a private blob through a secret, read-only, expiring link with its hash", async () => {
    const run = await evaluate({ managedIdentity: ACCOUNT });
    const account = run.one(T.automationAccount);
    const runbook = run.one(T.runbook);
    expect(runbook.inputs).toMatchObject({ automationAccountName: "exo-automation", resourceGroupName: "rg-exchange", runbookName: "Get-ExchangeAcceptedDomain", runbookType: "PowerShell72" });
    // The link carries a SAS: a secret, never in plain state or the plan.
    const link = runbook.inputs.publishContentLink as { uri: unknown; contentHash: { algorithm: string; value: string } };
    expect(link.uri).toBe("[secret]");

    const storage = run.one(T.storageAccount);
    expect(storage.inputs).toMatchObject({ resourceGroupName: "rg-exchange", location: "westeurope", allowBlobPublicAccess: false, enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2" });
    expect(run.one(T.blobContainer).inputs).toMatchObject({ accountName: storage.inputs.accountName, publicAccess: "None" });
    const blob = run.one(T.blob);
    expect(blob.inputs).toMatchObject({ accountName: storage.inputs.accountName, containerName: "runbooks", blobName: "Get-ExchangeAcceptedDomain.ps1" });

    // The hash Automation checks is the hash of the text the blob holds.
    const text = sampleRunbook({ organization: "contoso.onmicrosoft.com", cloud: CLOUDS.public });
    expect(link.contentHash).toEqual({ algorithm: "SHA256", value: createHash("sha256").update(text).digest("hex").toUpperCase() });
    const source = blob.inputs.source as Record<string, unknown>;
    expect(Object.values(source)).toContain(text);

    // Everything goes through the tenant's azure-native provider, under the stack's own component.
    const azure = run.one(T.azureProvider);
    for (const r of [storage, blob, runbook, account]) expect(r.provider).toBe(azure.urn);
    expect(run.ofType(T.schedule)).toEqual([]);
    expect(run.ofType(T.jobSchedule)).toEqual([]);
  });

  it("connects exactly as the stack's connect output says, then runs Get-AcceptedDomain and disconnects", async () => {
    const run = await evaluate({ environment: "usgovernment", organization: "contoso.onmicrosoft.us", managedIdentity: { ...ACCOUNT, location: "usgovvirginia" } });
    const connect = (run.outputs as unknown as RunbookOutputs).connectExchangeOnline.managedIdentity;
    const text = sampleRunbook({ organization: "contoso.onmicrosoft.us", cloud: CLOUDS.usgovernment });
    expect(text).toContain(`${connect} -ShowBanner:$false\n`);
    expect(connect).toBe("Connect-ExchangeOnline -ManagedIdentity -Organization contoso.onmicrosoft.us -ExchangeEnvironmentName O365USGovGCCHigh");
    expect(text.indexOf("Get-AcceptedDomain")).toBeGreaterThan(text.indexOf(connect));
    expect(text).toMatch(/finally \{\n\s+Disconnect-ExchangeOnline -Confirm:\$false/);
    expect(text).toMatch(/^\$ErrorActionPreference = 'Stop'$/m);
  });

  it("outputs where the runbook is and the command that starts it", async () => {
    const run = await evaluate({ managedIdentity: ACCOUNT });
    expect((run.outputs as unknown as RunbookOutputs).runbook).toEqual({
      name: "Get-ExchangeAcceptedDomain",
      automationAccount: "exo-automation",
      resourceGroup: "rg-exchange",
      start: "az automation runbook start --automation-account-name exo-automation --resource-group rg-exchange --name Get-ExchangeAcceptedDomain",
    });
  });

  it("runbook: false declares no runbook, no storage and no runbook output", async () => {
    const run = await evaluate({ managedIdentity: { ...ACCOUNT, runbook: false } });
    for (const type of [T.runbook, T.storageAccount, T.blob, T.schedule]) expect(run.ofType(type)).toEqual([]);
    expect((run.outputs as unknown as RunbookOutputs).runbook).toBeUndefined();
    expect(run.ofType(T.automationAccount)).toHaveLength(1);
  });

  it("the storage account's name is Azure-valid, the same every run, and differs per account, group and tenant", () => {
    const seed = { tenantId: TENANT_ID, resourceGroup: "rg-exchange", automationAccount: "exo-automation" };
    const name = runbookStorageAccountName(seed);
    expect(name).toMatch(/^[a-z0-9]{3,24}$/);
    expect(runbookStorageAccountName({ ...seed })).toBe(name);
    expect(runbookStorageAccountName({ ...seed, automationAccount: "exo-automation-2" })).not.toBe(name);
    expect(runbookStorageAccountName({ ...seed, resourceGroup: "rg-other" })).not.toBe(name);
    expect(runbookStorageAccountName({ ...seed, tenantId: "0b1c2d3e-1111-4222-8333-444455556666" })).not.toBe(name);
  });
});

describe("the runbook's schedule", () => {
  it("links the runbook to a schedule, starting no earlier than the module it needs, at the first time of day Azure accepts", async () => {
    const run = await evaluate({ managedIdentity: { ...ACCOUNT, schedule: { frequency: "Day", at: "06:30", timeZone: "Europe/Berlin" } } });
    const schedule = run.one(T.schedule);
    // The mock clock is 2026-11-26T00:00Z: 06:30 in Berlin (+01:00) that day is more than an hour away.
    expect(schedule.inputs).toMatchObject({ automationAccountName: "exo-automation", frequency: "Day", interval: 1, timeZone: "Europe/Berlin", startTime: "2026-11-26T06:30:00+01:00" });
    const job = run.one(T.jobSchedule);
    expect(job.inputs).toMatchObject({ runbook: { name: "Get-ExchangeAcceptedDomain" }, schedule: { name: schedule.inputs.name } });
    expect(job.inputs.jobScheduleId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((run.outputs as unknown as RunbookOutputs).runbook?.schedule).toBe("every 1 day at 06:30 Europe/Berlin");
  });

  it("firstRun: at least an hour after the schedule is made, on the zone's own offset that day", () => {
    expect(firstRun(new Date("2026-11-26T05:10:00Z"), "06:00", "UTC")).toBe("2026-11-27T06:00:00+00:00");
    expect(firstRun(new Date("2026-11-26T04:59:00Z"), "06:00", "UTC")).toBe("2026-11-26T06:00:00+00:00");
    expect(firstRun(new Date("2026-07-01T12:00:00Z"), "06:00", "America/New_York")).toBe("2026-07-02T06:00:00-04:00");
    expect(firstRun(new Date("2026-12-01T12:00:00Z"), "06:00", "America/New_York")).toBe("2026-12-02T06:00:00-05:00");
    expect(firstRun(new Date("2026-11-26T23:30:00Z"), "09:00", "Asia/Kolkata")).toBe("2026-11-27T09:00:00+05:30");
    expect(utcOffset(new Date("2026-01-01T00:00:00Z"), "UTC")).toBe("+00:00");
  });

  it("isTimeZone: IANA names yes, abbreviations of nowhere and Windows names no", () => {
    expect(["UTC", "Europe/Berlin", "America/New_York"].map(isTimeZone)).toEqual([true, true, true]);
    expect(["Mars/Olympus", "", " UTC", "W. Europe Standard Time"].map(isTimeZone)).toEqual([false, false, false, false]);
  });
});

describe("runbook and schedule: bad input is refused before anything registers", () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a schedule without the runbook", { runbook: false, schedule: { frequency: "Day" } }, "managedIdentity.schedule", /runbook is false/],
    ["a frequency Automation does not repeat on", { schedule: { frequency: "Daily" } }, "managedIdentity.schedule.frequency", /must be one of Hour, Day, Week, Month/],
    ["a time of day that is not HH:MM", { schedule: { frequency: "Day", at: "6am" } }, "managedIdentity.schedule.at", /HH:MM/],
    ["an interval of zero", { schedule: { frequency: "Hour", interval: 0 } }, "managedIdentity.schedule.interval", /at least 1/],
    ["a time zone that is not one", { schedule: { frequency: "Day", timeZone: "Mars/Olympus" } }, "managedIdentity.schedule.timeZone", /IANA time zone/],
    ["runbook as text", { runbook: "yes" }, "managedIdentity.runbook", /boolean|true or false/],
    ["an unknown schedule field", { schedule: { frequency: "Day", startTime: "2026-12-01T06:00:00Z" } }, "managedIdentity.schedule.startTime", /is not a field of managedIdentity.schedule. .*Fields: frequency, interval, at, timeZone/],
    ["a frequency in lower case", { schedule: { frequency: "day" } }, "managedIdentity.schedule.frequency", /must be one of Hour, Day, Week, Month/],
  ])("%s", async (_label, extra, key, wording) => {
    const error = await evaluate({ managedIdentity: { ...ACCOUNT, ...extra } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues.find((i) => i.key.startsWith(`exchange-app-only:${key}`));
    expect({ key, message: issue?.message }).toEqual({ key, message: expect.stringMatching(wording) });
    const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
    expect(monitor.getRegisteredResources().size).toBe(0);
  });

  it("runbook and schedule belong to an Automation account only", async () => {
    const error = (await evaluate({ managedIdentity: { kind: "userAssigned", name: "exo-runner", resourceGroup: "rg", location: "westeurope", runbook: true } }).catch((e: unknown) => e)) as ConfigError;
    expect(error.issues.map((i) => i.key)).toContain("exchange-app-only:managedIdentity.runbook");
  });
});

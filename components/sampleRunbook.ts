import type { Runbook } from "@pulumi/azure-native/automation";
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import { createHash } from "node:crypto";
import { firstRun } from "../src/automation/schedule";
import { runbookContentHash, runbookStorageAccountName, SAMPLE_RUNBOOK_NAME, sampleRunbook } from "../src/automation/sampleRunbook";
import type { RunbookScheduleConfig } from "../src/config/stackConfig";
import type { Cloud } from "../src/facts";
import { azureNative } from "./azureNative";

export interface SampleRunbookArgs {
  readonly tenantId: pulumi.Input<string>;
  readonly organization: string;
  readonly cloud: Cloud;
  readonly resourceGroup: string;
  readonly location: string;
  readonly subscriptionId?: string;
  /** The Automation account's name, as an output of the account so the runbook waits for it. */
  readonly automationAccountName: pulumi.Input<string>;
  readonly automationAccountConfigName: string;
  readonly schedule?: RunbookScheduleConfig;
  /** The ExchangeOnlineManagement module: a scheduled job must not run before it is imported. */
  readonly module: pulumi.Resource;
}

/** How long Automation has to fetch the runbook's text: it reads it once, when the runbook is published. */
const CONTENT_LINK_HOURS = 24;
const SCHEDULE_NAME = "exchange-app-only-sample";

/**
 * The sample PowerShell 7.2 runbook of an Automation account, and its optional schedule. azure-native publishes a
 * runbook only from a URL, so its text goes to a private blob in a storage account of the same resource group, read
 * once by Automation through a read-only service SAS that lasts a day; the content hash makes Automation refuse any
 * other text. A new text (another organization, another cloud) gets a new SAS and republishes the runbook.
 */
export class SampleRunbook extends pulumi.ComponentResource {
  readonly runbookName: pulumi.Output<string>;
  readonly scheduleName?: pulumi.Output<string>;

  constructor(name: string, args: SampleRunbookArgs, opts?: pulumi.ComponentResourceOptions) {
    const storage = azureNative("storage", "The sample runbook");
    const automation = azureNative("automation", "The sample runbook");
    super("exchange-app-only:index:SampleRunbook", name, {}, opts);
    const where = { resourceGroupName: args.resourceGroup, location: args.location };
    const text = sampleRunbook({ organization: args.organization, cloud: args.cloud });
    const hash = runbookContentHash(text);

    const account = new storage.StorageAccount(
      `${name}-storage`,
      {
        ...where,
        accountName: pulumi.output(args.tenantId).apply((tenantId) => runbookStorageAccountName({ tenantId, subscriptionId: args.subscriptionId, resourceGroup: args.resourceGroup, automationAccount: args.automationAccountConfigName })),
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        allowBlobPublicAccess: false,
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        // The service SAS below is signed with the account key.
        allowSharedKeyAccess: true,
      },
      { parent: this },
    );
    const container = new storage.BlobContainer(
      `${name}-container`,
      { resourceGroupName: args.resourceGroup, accountName: account.name, containerName: "runbooks", publicAccess: "None" },
      { parent: this },
    );
    const blob = new storage.Blob(
      `${name}-blob`,
      {
        resourceGroupName: args.resourceGroup,
        accountName: account.name,
        containerName: container.name,
        blobName: `${SAMPLE_RUNBOOK_NAME}.ps1`,
        type: "Block",
        contentType: "text/plain; charset=utf-8",
        source: new pulumi.asset.StringAsset(text),
      },
      { parent: this },
    );
    // The SAS's clock: made when the text changes, so the link (and the runbook) changes only then.
    const published = new time.Static(`${name}-published`, { triggers: { contentHash: hash.value, automationAccount: args.automationAccountConfigName } }, { parent: this, dependsOn: [blob] });
    const sas = storage.listStorageAccountServiceSASOutput(
      {
        resourceGroupName: args.resourceGroup,
        accountName: account.name,
        canonicalizedResource: pulumi.interpolate`/blob/${account.name}/${container.name}/${blob.name}`,
        resource: "b",
        permissions: "r",
        protocols: "https",
        sharedAccessExpiryTime: published.rfc3339.apply((created) => new Date(Date.parse(created) + CONTENT_LINK_HOURS * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z")),
      },
      { parent: this },
    );
    const runbook = new automation.Runbook(
      `${name}-runbook`,
      {
        ...where,
        automationAccountName: args.automationAccountName,
        runbookName: SAMPLE_RUNBOOK_NAME,
        runbookType: "PowerShell72",
        description: `Connects to Exchange Online as this account's managed identity and lists ${args.organization}'s accepted domains (made by exchange-app-only).`,
        logProgress: false,
        logVerbose: false,
        publishContentLink: { uri: pulumi.secret(pulumi.interpolate`${blob.url}?${sas.serviceSasToken}`), contentHash: hash },
      },
      { parent: this },
    );
    this.runbookName = runbook.name;

    if (args.schedule) this.scheduleName = this.declareSchedule(name, args, runbook);
    this.registerOutputs({ runbookName: this.runbookName });
  }

  private declareSchedule(name: string, args: SampleRunbookArgs, runbook: Runbook): pulumi.Output<string> {
    const automation = azureNative("automation", "The sample runbook's schedule");
    const schedule = args.schedule!;
    const fingerprint = JSON.stringify(schedule);
    // The first run is computed from when the schedule is made, and kept: later updates do not move it.
    const created = new time.Static(`${name}-schedule-created`, { triggers: { schedule: fingerprint } }, { parent: this });
    const made = new automation.Schedule(
      `${name}-schedule`,
      {
        resourceGroupName: args.resourceGroup,
        automationAccountName: args.automationAccountName,
        name: SCHEDULE_NAME,
        scheduleName: SCHEDULE_NAME,
        frequency: schedule.frequency,
        interval: schedule.interval,
        timeZone: schedule.timeZone,
        startTime: created.rfc3339.apply((at) => firstRun(new Date(at), schedule.at, schedule.timeZone)),
        description: `Runs ${SAMPLE_RUNBOOK_NAME} every ${schedule.interval} ${schedule.frequency.toLowerCase()}(s) at ${schedule.at} ${schedule.timeZone} (made by exchange-app-only).`,
      },
      // Schedules and job schedules are named: a replacement must delete the old one before making the new.
      { parent: this, deleteBeforeReplace: true },
    );
    new automation.JobSchedule(
      `${name}-job-schedule`,
      {
        resourceGroupName: args.resourceGroup,
        automationAccountName: args.automationAccountName,
        jobScheduleId: jobScheduleId(args.automationAccountConfigName, fingerprint),
        runbook: { name: runbook.name },
        schedule: { name: made.name },
      },
      { parent: this, deleteBeforeReplace: true, dependsOn: [args.module] },
    );
    return made.name;
  }
}

/** Automation wants a GUID for a job schedule: one derived from what it links, so the same stack keeps the same one. */
function jobScheduleId(automationAccount: string, scheduleFingerprint: string): string {
  const h = createHash("sha256").update(`${automationAccount}/${SAMPLE_RUNBOOK_NAME}/${SCHEDULE_NAME}/${scheduleFingerprint}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

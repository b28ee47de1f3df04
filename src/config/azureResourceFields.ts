/**
 * Fields every Azure resource the stack creates takes (a managed identity, an Automation account, a Key Vault):
 * one rule each, so the same value is read the same way whichever key holds it.
 */
import { z } from "zod";
import { guidProblem } from "../check/ids";

/** A GUID field, judged by the one GUID rule (the CLI's --client-id uses it too); `what` says which id it holds. */
export const guid = (what: string) =>
  z
    .string()
    .superRefine((v, ctx) => {
      const problem = guidProblem(v.trim());
      if (problem) ctx.addIssue({ code: "custom", message: `${problem}; it takes ${what}` });
    })
    .transform((v) => v.trim().toLowerCase());
/** Azure region names as ARM takes them (`westeurope`); "West Europe" is read the same way. */
export const location = z
  .string()
  .transform((v) => v.toLowerCase().replace(/\s+/g, ""))
  .refine((v) => /^[a-z][a-z0-9]{2,39}$/.test(v), { error: "must be an Azure region, for example westeurope, usgovvirginia or chinanorth3 (az account list-locations -o table)" });
export const resourceGroup = z.string().regex(/^[-\w.()]{1,89}[-\w()]$/, { error: "must be an existing resource group's name: 1 to 90 letters, digits, _, -, ., ( and ), not ending in a period" });
export const subscriptionId = guid("the Azure subscription id (az account show --query id -o tsv)").optional();

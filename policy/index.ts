/**
 * The exchange-app-only policy pack: `pulumi preview --policy-pack policy/` (or `pulumi up`). Constructing the pack
 * starts the analyzer's gRPC server, so only the CLI loads this file; everything else imports ./policies.
 */
import { PolicyPack } from "@pulumi/policy";
import { exchangeAppOnlyPolicies, PACK_NAME } from "./policies";

new PolicyPack(PACK_NAME, { policies: exchangeAppOnlyPolicies() });

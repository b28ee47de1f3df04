/**
 * The bootstrap program: config → the deploying identity → outputs. Run once per tenant, by an administrator:
 * `cd bootstrap && pulumi up` (docs/bootstrap.md, "The deploying identity (bootstrap/)").
 */
import { loadBootstrapConfig } from "./config";
import { declareDeployer } from "./deployer";

export = async () => {
  // Validates everything first: bad config throws here, before any resource is registered.
  return declareDeployer(loadBootstrapConfig());
};

/**
 * The Pulumi program: stack config → components → outputs, nothing else.
 * `pulumi up` runs it for real; `npm run plan` and the tests run the same function under Pulumi mocks.
 */
import { declareStack } from "./components/stackProgram";
import { loadStackConfig } from "./src/config/load";

export = async () => {
  // Validates everything first: bad config throws here, before any resource is registered.
  return declareStack(loadStackConfig());
};

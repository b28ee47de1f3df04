/**
 * The Pulumi program: stack config → components → outputs, nothing else.
 * `pulumi up` runs it for real; `npm run plan` and the tests run the same function under Pulumi mocks.
 */
import { ExchangeAppOnly } from "./components/exchangeAppOnly";
import { tenantProvider } from "./components/tenantProvider";
import { loadStackConfig } from "./src/config/load";

export = async () => {
  // Validates everything first: bad config throws here, before any resource is registered.
  const { tenant, signIn } = loadStackConfig();
  const provider = tenantProvider("exo-tenant", tenant, signIn);
  const exchange = new ExchangeAppOnly("exo", { tenant }, { providers: [provider] });
  return exchange.outputs;
};

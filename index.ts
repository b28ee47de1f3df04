/**
 * The Pulumi program: stack config → components → outputs, nothing else.
 * `pulumi up` runs it for real; `npm run plan` and the tests run the same function under Pulumi mocks.
 */
import * as azuread from "@pulumi/azuread";
import { ExchangeAppOnly } from "./components/exchangeAppOnly";
import { loadTenantConfig } from "./src/config/load";

export = async () => {
  // Validates everything first: bad config throws here, before any resource is registered.
  const tenant = loadTenantConfig();
  const provider = new azuread.Provider("exo-tenant", {
    tenantId: tenant.tenantId,
    environment: tenant.cloud.azureadEnvironment,
  });
  const exchange = new ExchangeAppOnly("exo", { tenant }, { providers: [provider] });
  return exchange.outputs;
};

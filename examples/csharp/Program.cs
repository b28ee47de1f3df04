// Exchange Online app-only access for one tenant, through the exchange-app-only plugin.
// `pulumi package add ../../provider` generated the SDK in sdks/exchange-app-only and referenced it in the .csproj.
using System.Collections.Generic;
using Pulumi;
using Pulumi.ExchangeAppOnly;

return await Deployment.RunAsync(() =>
{
    var config = new Config();

    // The app, admin consent, the directory role and a generated certificate, in the tenant azuread signs in to.
    var exo = new ExchangeAppOnly("exo", new ExchangeAppOnlyArgs
    {
        TenantId = config.Require("tenantId"),
        Organization = config.Require("organization"),
        Role = DirectoryRole.ExchangeRecipientAdministrator,
        DisplayName = $"exchange-automation-{Deployment.Instance.StackName}",
    });

    return new Dictionary<string, object?>
    {
        ["clientId"] = exo.ClientId,
        ["connectExchangeOnline"] = exo.ConnectExchangeOnline,
    };
});

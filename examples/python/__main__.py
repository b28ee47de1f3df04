"""Exchange Online app-only access for one tenant, through the exchange-app-only plugin.

`pulumi package add ../../provider` generated the SDK in sdks/exchange-app-only and added it to requirements.txt.
"""
import pulumi
import pulumi_exchange_app_only as exchange_app_only

config = pulumi.Config()

# The app, admin consent, the directory role and a generated certificate, in the tenant azuread signs in to.
exo = exchange_app_only.ExchangeAppOnly(
    "exo",
    tenant_id=config.require("tenantId"),
    organization=config.require("organization"),
    role="Exchange Recipient Administrator",
    display_name=f"exchange-automation-{pulumi.get_stack()}",
)

pulumi.export("clientId", exo.client_id)
pulumi.export("connectExchangeOnline", exo.connect_exchange_online)

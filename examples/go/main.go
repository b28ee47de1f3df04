// Exchange Online app-only access for one tenant, through the exchange-app-only plugin.
// `pulumi package add ../../provider` generated the SDK in sdks/exchange-app-only and the replace in go.mod.
package main

import (
	"fmt"

	exchangeapponly "github.com/exchange-app-only/exchange-app-only/sdk/go/exchangeapponly"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// `role` is a plain (not Input) enum in the schema: the args field takes a pointer to it.
		role := exchangeapponly.DirectoryRoleExchangeRecipientAdministrator

		// The app, admin consent, the directory role and a generated certificate, in the tenant azuread signs in to.
		exo, err := exchangeapponly.NewExchangeAppOnly(ctx, "exo", &exchangeapponly.ExchangeAppOnlyArgs{
			TenantId:     pulumi.String(config.Require(ctx, "tenantId")),
			Organization: config.Require(ctx, "organization"),
			Role:         &role,
			DisplayName:  pulumi.String(fmt.Sprintf("exchange-automation-%s", ctx.Stack())),
		})
		if err != nil {
			return err
		}

		ctx.Export("clientId", exo.ClientId)
		ctx.Export("connectExchangeOnline", exo.ConnectExchangeOnline)
		return nil
	})
}

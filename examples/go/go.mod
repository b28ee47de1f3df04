module exchange-access-go

go 1.22

require (
	github.com/exchange-app-only/exchange-app-only/sdk/go v0.0.0-00010101000000-000000000000
	github.com/pulumi/pulumi/sdk/v3 v3.270.0
)

// `pulumi package add ../../provider` added this replace: the generated SDK is a module of its own in sdks/.
replace github.com/exchange-app-only/exchange-app-only/sdk/go => ./sdks/exchange-app-only

/**
 * The well-known identifiers, pinned as literals with their sources: the same in every tenant, so a typo in
 * src/facts/identifiers.ts would grant, look up or check the wrong thing everywhere at once.
 */
import {
  APP_ANCHOR_MAILBOX,
  EOP_MANAGE_AS_APP_ROLE,
  EXCHANGE_ONLINE_APP_ID,
  EXCHANGE_ONLINE_PROTECTION_APP_ID,
  KEY_VAULT_SECRETS_USER_ROLE,
  MANAGE_AS_APP_ROLE,
  MANAGE_AS_APP_V2_ROLE_VALUE,
  MICROSOFT_GRAPH_APP_ID,
  TOKEN_EXCHANGE_AUDIENCE,
} from "../../src/facts";

describe("well-known identifiers", () => {
  test("Office 365 Exchange Online's appId and its Exchange.ManageAsApp application permission (app-only article's manifest; FACTS.md)", () => {
    expect(EXCHANGE_ONLINE_APP_ID).toBe("00000002-0000-0ff1-ce00-000000000000");
    expect(MANAGE_AS_APP_ROLE).toEqual({ value: "Exchange.ManageAsApp", id: "dc50a0fb-09a3-484d-be87-e023b12c6440", type: "Role" });
  });

  test("Microsoft Exchange Online Protection's appId and its Exchange.ManageAsApp (the app-only article's GCC High/DoD manifest note)", () => {
    expect(EXCHANGE_ONLINE_PROTECTION_APP_ID).toBe("00000007-0000-0ff1-ce00-000000000000");
    expect(EOP_MANAGE_AS_APP_ROLE).toEqual({ value: "Exchange.ManageAsApp", id: "455e5cd2-84e8-4751-8344-5672145dfa17", type: "Role" });
  });

  test("the Admin API's permission is known by value only (\"Authentication and authorization for the Exchange Online Admin API\"; its id is unconfirmed)", () => {
    expect(MANAGE_AS_APP_V2_ROLE_VALUE).toBe("Exchange.ManageAsAppV2");
  });

  test("Microsoft Graph's appId (Microsoft's first-party application ids; FACTS.md)", () => {
    expect(MICROSOFT_GRAPH_APP_ID).toBe("00000003-0000-0000-c000-000000000000");
  });

  test("workload identity federation's default audience (Entra: \"Workload identity federation\", audiences)", () => {
    expect(TOKEN_EXCHANGE_AUDIENCE).toBe("api://AzureADTokenExchange");
  });

  test("the system mailbox app-only InvokeCommand calls anchor on (FACTS.md, Exchange Online's REST endpoint)", () => {
    expect(APP_ANCHOR_MAILBOX).toBe("SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}");
  });

  test("Azure's built-in Key Vault Secrets User role (Azure built-in roles reference)", () => {
    expect(KEY_VAULT_SECRETS_USER_ROLE).toEqual({ name: "Key Vault Secrets User", id: "4633458b-17de-408a-b874-0445c86b69e6" });
  });
});

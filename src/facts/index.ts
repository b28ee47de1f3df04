/** The facts layer: data and tiny pure functions that import nothing else of this project. */
export * from "./identifiers";
export * from "./roles";
export * from "./clouds";
export * from "./limits";
export * from "./typeTokens";
export * from "./exchangeRbac";
export * from "./appRoles";
export * from "./regions";
export * from "./firstPartyApps";
export * from "./wellKnownIds";

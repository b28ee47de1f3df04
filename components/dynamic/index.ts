/** What every dynamic provider of this project shares: the compiled library by path, secret inputs, error text. */
export { compiledLibraryPath, requireLibrary } from "./library";
export { providerErrorText } from "./errorText";
export { withSecretInputs } from "./secretInputs";
export { libraryProvider, type LibraryProviderRef } from "./libraryProvider";

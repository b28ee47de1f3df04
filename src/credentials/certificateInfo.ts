/** What a certificate says about itself: a type of its own, so the config's types do not reach node-forge's. */
export interface CertificateInfo {
  /** SHA-1 of the DER, 40 upper-case hex digits: what `Connect-ExchangeOnline -CertificateThumbprint` takes. */
  readonly thumbprint: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Key type of the public key, `rsa` for a usable Exchange certificate. */
  readonly keyType: string | undefined;
}
